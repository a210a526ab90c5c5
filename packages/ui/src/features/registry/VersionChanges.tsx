import type { ModelHistory } from '@trove/protocol';
import { Link } from '../../app/router.tsx';
import { formatNumber } from '../../lib/format.ts';
import { versionHref } from './queries.ts';
import { RunLink } from './RunLink.tsx';

const show = (v: string | number | null) => (v === null ? '—' : typeof v === 'number' ? formatNumber(v) : v);

/** "Changes since vN" for each consecutive pair of versions, newest first. */
export function VersionChanges({
  name,
  changes,
  count,
  shown,
}: {
  name: string;
  changes: ModelHistory.VersionChange[];
  count: number;
  shown: number;
}) {
  if (changes.length === 0) return <p className="muted">No earlier version to compare with.</p>;
  return (
    <>
      {changes.map((c) => (
        <Change key={c.from_version} name={name} change={c} />
      ))}
      {count > shown ? (
        <p className="muted">
          Showing the last {shown} of {count} versions.
        </p>
      ) : null}
    </>
  );
}

function Change({ name, change: c }: { name: string; change: ModelHistory.VersionChange }) {
  const rows: { what: string; key: string; before: string; after: string; kind: string }[] = [];
  for (const p of c.params.changed)
    rows.push({ what: 'param', key: p.key, before: show(p.before), after: show(p.after), kind: 'changed' });
  for (const p of c.params.added)
    rows.push({ what: 'param', key: p.key, before: '—', after: show(p.after), kind: 'added' });
  for (const p of c.params.removed)
    rows.push({ what: 'param', key: p.key, before: show(p.before), after: '—', kind: 'removed' });
  for (const m of c.metrics)
    rows.push({
      what: 'metric',
      key: m.key,
      before: show(m.before),
      after: show(m.after),
      kind: m.before === m.after ? 'same' : 'changed',
    });
  for (const d of c.datasets.removed)
    rows.push({ what: 'dataset', key: d.name, before: `#${d.digest}`, after: '—', kind: 'removed' });
  for (const d of c.datasets.added)
    rows.push({ what: 'dataset', key: d.name, before: '—', after: `#${d.digest}`, kind: 'added' });
  if (c.git_commit.changed)
    rows.push({
      what: 'code',
      key: 'git commit',
      before: c.git_commit.before?.slice(0, 12) ?? '—',
      after: c.git_commit.after?.slice(0, 12) ?? '—',
      kind: 'changed',
    });
  return (
    <section className="version-change" data-from={c.from_version} data-to={c.to_version}>
      <h3>
        Changes since <Link to={versionHref(name, c.from_version)}>v{c.from_version}</Link> (to v{c.to_version})
      </h3>
      <p className="muted">
        Runs: {c.from_run ? <RunLink run={c.from_run} /> : 'none'} → {c.to_run ? <RunLink run={c.to_run} /> : 'none'}
      </p>
      {rows.length === 0 ? (
        <p className="muted">Same params, metrics, datasets and commit.</p>
      ) : (
        <table className="version-changes" aria-label={`Changes since v${c.from_version}`}>
          <thead>
            <tr>
              <th>What</th>
              <th>Key</th>
              <th>v{c.from_version}</th>
              <th>v{c.to_version}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.what}:${r.key}:${r.kind}`} data-kind={r.kind} data-what={r.what}>
                <td>{r.what}</td>
                <td className="mono">{r.key}</td>
                <td>{r.before}</td>
                <td>{r.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
