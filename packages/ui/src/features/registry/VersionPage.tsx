import type { MlModelInfo, VersionPage as VersionData } from '../../api/trove.ts';
import { Link } from '../../app/router.tsx';
import { KeyValueTable } from '../../components/KeyValueTable.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { formatBytes, formatTime } from '../../lib/format.ts';
import { CommentThread } from './CommentThread.tsx';
import { modelHref } from './ModelsPage.tsx';
import { useVersionPage } from './queries.ts';

/** One model version: lineage (dataset → run → version → stage/aliases), its MLmodel, and its comment thread. */
export default function VersionPage({ name, version }: { name: string; version: string }) {
  const page = useVersionPage(name, version);
  if (page.isPending) return <Loading label="Loading model version…" />;
  if (!page.data) {
    return (
      <section className="page">
        <ErrorBox error={page.error} title="Could not load the model version." />
      </section>
    );
  }
  const d = page.data;
  const mv = d.model_version;
  return (
    <section className="page">
      <div className="breadcrumbs">
        <Link to="/models">Registered models</Link> / <Link to={modelHref(name)}>{name}</Link> /
      </div>
      <div className="page-header">
        <h1>
          {name} v{mv.version}
        </h1>
        <span className="muted">
          registered {formatTime(mv.creation_timestamp)}
          {mv.user_id ? ` by ${mv.user_id}` : ''} · status {mv.status ?? 'READY'}
        </span>
      </div>
      {mv.description ? <p style={{ whiteSpace: 'pre-wrap' }}>{mv.description}</p> : null}
      <h2>Lineage</h2>
      <Lineage data={d} />
      <h2>Model</h2>
      <MlModelView name={name} version={mv.version} info={d.mlmodel} example={d.input_example} error={d.mlmodel_error} source={mv.source} />
      <h2 id="comments-heading">Comments</h2>
      <CommentThread name={name} version={mv.version} />
    </section>
  );
}

function Lineage({ data }: { data: VersionData }) {
  const l = data.lineage;
  const run = l.run;
  return (
    <ol className="lineage" aria-label="Lineage">
      <li className="lineage-node" data-node="datasets">
        <span className="lineage-kind">Datasets</span>
        {l.datasets.length === 0 ? (
          <span className="muted">none logged</span>
        ) : (
          l.datasets.map((ds) => (
            <span key={`${ds.name}@${ds.digest}`} className="lineage-item">
              {ds.name} <span className="mono muted">#{ds.digest}</span>
              {ds.context ? <span className="chip">{ds.context}</span> : null}
            </span>
          ))
        )}
      </li>
      <li className="lineage-node" data-node="run">
        <span className="lineage-kind">Run</span>
        {run ? (
          <Link to={`/experiments/${run.experiment_id}/runs/${run.run_id}`}>{run.run_name || run.run_id.slice(0, 8)}</Link>
        ) : (
          <span className="muted">{data.model_version.source ?? 'no run'}</span>
        )}
        {l.logged_model_id ? <span className="mono muted">model {l.logged_model_id}</span> : null}
      </li>
      <li className="lineage-node" data-node="version">
        <span className="lineage-kind">Version</span>
        <span>
          {l.model_version.name} v{l.model_version.version}
        </span>
      </li>
      <li className="lineage-node" data-node="deployment">
        <span className="lineage-kind">Stage &amp; aliases</span>
        <span>{l.stage && l.stage !== 'None' ? <span className="badge">{l.stage}</span> : <span className="muted">no stage</span>}</span>
        <span>
          {l.aliases.map((a) => (
            <span key={a} className="chip" data-alias={a}>
              @{a}
            </span>
          ))}
        </span>
      </li>
    </ol>
  );
}

interface ColSpec {
  name?: string;
  type?: string;
  required?: boolean;
  'tensor-spec'?: { dtype?: string; shape?: number[] };
  default?: unknown;
  shape?: number[];
}

function specRows(spec: unknown): ColSpec[] {
  if (Array.isArray(spec)) return spec as ColSpec[];
  if (spec && typeof spec === 'object') return [spec as ColSpec];
  return [];
}

function SchemaTable({ label, spec }: { label: string; spec: unknown }) {
  const rows = specRows(spec);
  if (rows.length === 0) return null;
  return (
    <table className="data schema" aria-label={label}>
      <caption>{label}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Shape</th>
          <th scope="col">Required</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c, i) => (
          <tr key={c.name ?? i}>
            <td className="mono">{c.name ?? <span className="muted">(unnamed)</span>}</td>
            <td className="mono">{c.type === 'tensor' ? `tensor<${c['tensor-spec']?.dtype ?? '?'}>` : (c.type ?? '')}</td>
            <td className="mono">{JSON.stringify(c['tensor-spec']?.shape ?? c.shape ?? null) === 'null' ? '' : JSON.stringify(c['tensor-spec']?.shape ?? c.shape)}</td>
            <td>{c.required === false ? 'no' : 'yes'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MlModelView({ name, version, info, example, error, source }: { name: string; version: string; info?: MlModelInfo; example?: unknown; error?: string; source?: string }) {
  const snippet = `import mlflow\n\nmodel = mlflow.pyfunc.load_model("models:/${name}/${version}")\npredictions = model.predict(data)`;
  return (
    <div className="mlmodel">
      <ErrorBox error={error} />
      {!info ? (
        <p className="muted">
          No MLmodel file found on this server for this version{source ? ` (source ${source})` : ''}: flavors and signature are shown when the model's files are stored here.
        </p>
      ) : (
        <>
          <KeyValueTable
            label="MLmodel"
            rows={[
              ['Flavors', <FlavorList key="f" flavors={info.flavors} />],
              ...(info.mlflow_version ? ([['MLflow version', info.mlflow_version]] as const) : []),
              ...(info.utc_time_created ? ([['Created (UTC)', info.utc_time_created]] as const) : []),
              ...(info.model_size_bytes !== undefined ? ([['Size', formatBytes(info.model_size_bytes)]] as const) : []),
              ...(info.model_uuid
                ? ([
                    [
                      'Model UUID',
                      <span key="u" className="mono">
                        {info.model_uuid}
                      </span>,
                    ],
                  ] as const)
                : []),
            ]}
          />
          <h3>Signature</h3>
          {info.signature ? (
            <div className="schemas">
              <SchemaTable label="Inputs" spec={info.signature.inputs} />
              <SchemaTable label="Outputs" spec={info.signature.outputs} />
              <SchemaTable label="Params" spec={info.signature.params} />
            </div>
          ) : (
            <p className="muted">No signature logged.</p>
          )}
          <h3>Input example</h3>
          {info.saved_input_example_info ? (
            <>
              <p className="muted">
                {String(info.saved_input_example_info.artifact_path ?? '')}
                {info.saved_input_example_info.type ? ` · ${String(info.saved_input_example_info.type)}` : ''}
                {info.saved_input_example_info.pandas_orient ? ` · orient ${String(info.saved_input_example_info.pandas_orient)}` : ''}
              </p>
              {example !== undefined ? (
                <section aria-label="Input example">
                  <pre className="input-example">{JSON.stringify(example, null, 2).slice(0, 4000)}</pre>
                </section>
              ) : (
                <p className="muted">The example file is too large or not JSON.</p>
              )}
            </>
          ) : (
            <p className="muted">No input example logged.</p>
          )}
        </>
      )}
      <h3>How to load it</h3>
      <section aria-label="How to load it">
        <pre className="snippet">{snippet}</pre>
      </section>
    </div>
  );
}

function FlavorList({ flavors }: { flavors: MlModelInfo['flavors'] }) {
  const entries = Object.entries(flavors ?? {});
  if (entries.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="flavors">
      {entries.map(([k, v]) => {
        const ver = v && (v[`${k}_version`] ?? v.python_version ?? v.loader_module);
        return (
          <li key={k} data-flavor={k}>
            <strong>{k}</strong>
            {ver ? <span className="muted"> {String(ver)}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}
