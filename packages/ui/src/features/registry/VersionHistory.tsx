import type { ModelHistory } from '@trove/protocol';
import { Link, useUrlState } from '../../app/router.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { formatNumber, ordinal } from '../../lib/format.ts';
import { oneOf, str } from '../../lib/url-state.ts';
import { useVersionHistory } from './queries.ts';
import { RunLink } from './RunLink.tsx';
import { SweepDotPlot } from './SweepDotPlot.tsx';
import { VersionChanges } from './VersionChanges.tsx';

/** The history section's URL state: the sweep metric and order when the reader overrides the server's choice. */
const historySpec = { hmetric: str(), horder: oneOf(['', 'asc', 'desc'] as const, '') };

const SOURCE_TEXT: Record<ModelHistory.MetricSource, string> = {
  request: 'chosen here',
  parent_tag: "from the sweep's tag",
  most_logged: 'the metric most runs logged',
};

/** "How this version was made": run → parent sweep (rank, dot plot) → changes since earlier versions. */
export function VersionHistory({ name, version }: { name: string; version: string }) {
  const [state, setState] = useUrlState(historySpec);
  const history = useVersionHistory(name, version, state.hmetric, state.horder);
  if (history.isPending) return <Loading label="Loading history…" />;
  if (!history.data) return <ErrorBox error={history.error} title="Could not load the version's history." />;
  const h = history.data;
  return (
    <section className="version-history" aria-label="How this version was made">
      <p data-testid="history-run">
        Made by run {h.run ? <RunLink run={h.run} /> : <span className="muted">unknown (no run recorded)</span>}
        {h.run?.git_commit ? (
          <>
            {' '}
            at commit <code>{h.run.git_commit.slice(0, 12)}</code>
          </>
        ) : null}
        {h.run?.datasets?.length ? <> from {h.run.datasets.map((d) => `${d.name} #${d.digest}`).join(', ')}</> : null}.
      </p>
      {h.sweep && h.run ? <Sweep sweep={h.sweep} self={h.run.run_id} state={state} setState={setState} /> : null}
      <VersionChanges name={name} changes={h.changes} count={h.version_count} shown={h.versions.length} />
    </section>
  );
}

function Sweep({
  sweep,
  self,
  state,
  setState,
}: {
  sweep: ModelHistory.Sweep;
  self: string;
  state: { hmetric: string; horder: '' | 'asc' | 'desc' };
  setState: (patch: Partial<{ hmetric: string; horder: '' | 'asc' | 'desc' }>) => void;
}) {
  const compare = new URLSearchParams();
  for (const s of sweep.siblings.slice(0, 10)) compare.append('runs', s.run_id);
  if (!sweep.siblings.slice(0, 10).some((s) => s.run_id === self)) compare.append('runs', self);
  if (sweep.metric) compare.append('metric', sweep.metric);
  const top = sweep.siblings.slice(0, 5);
  const mine = sweep.siblings.find((s) => s.run_id === self);
  return (
    <div className="sweep" data-testid="history-sweep">
      <p>
        Part of sweep <RunLink run={sweep.parent} /> ({sweep.sibling_count} runs).{' '}
        {sweep.metric ? (
          <span data-testid="sweep-rank">
            {sweep.rank !== undefined
              ? `${ordinal(sweep.rank)} of ${sweep.ranked_count} on ${sweep.metric}`
              : `Not ranked: this run logged no ${sweep.metric}`}
          </span>
        ) : (
          <span className="muted">The sweep's runs logged no metrics.</span>
        )}{' '}
        {sweep.metric ? (
          <span className="muted">
            ({sweep.order === 'asc' ? 'lower is better' : 'higher is better'}
            {sweep.metric_source ? `; ${SOURCE_TEXT[sweep.metric_source]}` : ''})
          </span>
        ) : null}
      </p>
      <div className="sweep-controls">
        <label>
          Metric{' '}
          <input
            aria-label="Sweep metric"
            defaultValue={state.hmetric || sweep.metric || ''}
            onKeyDown={(e) => {
              if (e.key === 'Enter') setState({ hmetric: e.currentTarget.value.trim() });
            }}
            placeholder="metric key"
          />
        </label>
        <label>
          Order{' '}
          <select
            aria-label="Sweep order"
            value={state.horder}
            onChange={(e) => setState({ horder: e.target.value as '' | 'asc' | 'desc' })}
          >
            <option value="">by name of the metric</option>
            <option value="asc">lower is better</option>
            <option value="desc">higher is better</option>
          </select>
        </label>
        <Link to={`/compare?${compare}`}>Compare the best runs</Link>
      </div>
      {sweep.metric ? <SweepDotPlot siblings={sweep.siblings} self={self} metric={sweep.metric} /> : null}
      <ol className="sweep-top" aria-label="Best runs of the sweep">
        {[...top, ...(mine && !top.includes(mine) ? [mine] : [])].map((s) => (
          <li key={s.run_id} className={s.run_id === self ? 'self' : undefined} value={s.rank}>
            <Link to={`/runs/${s.run_id}`}>{s.run_name || s.run_id.slice(0, 8)}</Link>{' '}
            <span className="mono">{s.value === null ? '—' : formatNumber(s.value)}</span>
            {s.run_id === self ? <span className="chip">this version</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
