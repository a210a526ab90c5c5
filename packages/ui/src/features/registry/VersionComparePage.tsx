import { useQueries } from '@tanstack/react-query';
import { getVersionPage } from '../../api/trove.ts';
import { Link, useUrlState } from '../../app/router.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatNumber } from '../../lib/format.ts';
import { list } from '../../lib/url-state.ts';
import type { CompareRow } from '../compare/compare-rows.ts';
import { modelHref, versionHref } from './queries.ts';
import { compareVersions, versionsToCompare } from './version-compare.ts';
import './registry.css';

const spec = { v: list() };

/** Versions of one model side by side (`?v=1&v=2…`): the version itself, signature, tags, the source run's params and metrics. */
export default function VersionComparePage({ name }: { name: string }) {
  const [state] = useUrlState(spec);
  const wanted = versionsToCompare(state.v);
  const pages = useQueries({
    queries: wanted.map((v) => ({
      queryKey: ['model-version-page', name, v],
      queryFn: ({ signal }: { signal: AbortSignal }) => getVersionPage(name, v, signal),
    })),
  });
  const error = pages.find((p) => p.error)?.error;
  const loaded = pages.every((p) => p.data);
  return (
    <section className="page">
      <div className="breadcrumbs">
        <Link to="/models">Registered models</Link> / <Link to={modelHref(name)}>{name}</Link> /
      </div>
      <div className="page-header">
        <h1>
          Compare {name} {wanted.map((v) => `v${v}`).join(', ')}
        </h1>
      </div>
      <ErrorBox error={error} title="Could not load a version." />
      {wanted.length < 2 ? (
        <Empty>Pick two or more versions on the model's page to compare them.</Empty>
      ) : !loaded ? (
        error ? null : (
          <Loading label="Loading versions…" />
        )
      ) : (
        <Comparison name={name} versions={wanted} pages={pages.map((p) => p.data!)} />
      )}
    </section>
  );
}

function Comparison({
  name,
  versions,
  pages,
}: {
  name: string;
  versions: string[];
  pages: Awaited<ReturnType<typeof getVersionPage>>[];
}) {
  const c = compareVersions(pages.map((p) => ({ version: p.model_version, run: p.run, mlmodel: p.mlmodel })));
  return (
    <div className="version-compare-scroll">
      <table className="data version-compare" aria-label="Version comparison">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Field</span>
            </th>
            {versions.map((v) => (
              <th scope="col" key={v}>
                <Link to={versionHref(name, v)}>v{v}</Link>
              </th>
            ))}
          </tr>
        </thead>
        <Section title="Version" rows={c.version} span={versions.length + 1} />
        <Section
          title="Signature"
          rows={c.signature}
          span={versions.length + 1}
          empty="No signature in the MLmodel files."
        />
        <Section title="Version tags" rows={c.tags} span={versions.length + 1} />
        <Section title="Run parameters" rows={c.params} span={versions.length + 1} />
        <Section title="Run metrics" rows={c.metrics} span={versions.length + 1} numeric />
      </table>
    </div>
  );
}

function Section({
  title,
  rows,
  span,
  numeric = false,
  empty = 'None.',
}: {
  title: string;
  rows: CompareRow[];
  span: number;
  numeric?: boolean;
  empty?: string;
}) {
  const differing = rows.filter((r) => r.differs).length;
  return (
    <tbody data-section={title}>
      <tr className="section-row">
        <th scope="colgroup" colSpan={span}>
          {title} ({rows.length}
          {differing ? `, ${differing} differ` : ''})
        </th>
      </tr>
      {rows.length === 0 ? (
        <tr>
          <td colSpan={span} className="muted">
            {empty}
          </td>
        </tr>
      ) : (
        rows.map((r) => (
          <tr key={r.key} className={r.differs ? 'differs' : undefined} data-key={r.key} data-differs={r.differs}>
            <th scope="row" className="mono" style={{ fontWeight: 400 }}>
              {r.key}
              {r.differs ? <span className="visually-hidden"> (differs)</span> : null}
            </th>
            {r.values.map((v, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: one cell per compared version, in order
              <td key={i} className={numeric ? 'num' : undefined}>
                {v === undefined ? <span className="muted">—</span> : numeric ? formatNumber(v) : v}
              </td>
            ))}
          </tr>
        ))
      )}
    </tbody>
  );
}
