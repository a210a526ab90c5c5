import type { MlModelInfo } from '../api/trove.ts';
import { formatBytes } from '../lib/format.ts';
import { KeyValueTable } from './KeyValueTable.tsx';
import { ErrorBox } from './status.tsx';

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
            <td className="mono">
              {c.type === 'tensor' ? `tensor<${c['tensor-spec']?.dtype ?? '?'}>` : (c.type ?? '')}
            </td>
            <td className="mono">
              {JSON.stringify(c['tensor-spec']?.shape ?? c.shape ?? null) === 'null'
                ? ''
                : JSON.stringify(c['tensor-spec']?.shape ?? c.shape)}
            </td>
            <td>{c.required === false ? 'no' : 'yes'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface MlModelViewProps {
  /** The URI `mlflow.pyfunc.load_model` takes: `models:/name/version`, `runs:/id/path`. */
  modelUri: string;
  info?: MlModelInfo;
  example?: unknown;
  error?: string;
  /** What to say when no MLmodel was found. */
  missing: string;
}

/** An MLflow model: flavors, signature, input example and how to load it (model version page, run artifacts). */
export function MlModelView({ modelUri, info, example, error, missing }: MlModelViewProps) {
  const snippet = `import mlflow\n\nmodel = mlflow.pyfunc.load_model("${modelUri}")\npredictions = model.predict(data)`;
  return (
    <div className="mlmodel">
      <ErrorBox error={error} />
      {!info ? (
        <p className="muted">{missing}</p>
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
                {info.saved_input_example_info.pandas_orient
                  ? ` · orient ${String(info.saved_input_example_info.pandas_orient)}`
                  : ''}
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
      {entries.map(([k, section]) => {
        const v = section !== null && typeof section === 'object' ? (section as Record<string, unknown>) : undefined;
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
