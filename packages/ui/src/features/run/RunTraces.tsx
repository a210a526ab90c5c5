import type { Run } from '../../api/types.ts';
import { hrefWith, Link } from '../../app/router.tsx';
import { stringLiteral } from '../../lib/filter.ts';
import { formatDuration, shortId } from '../../lib/format.ts';
import { useRunTraces } from '../traces/queries.ts';
import { TraceState } from '../traces/TraceState.tsx';
import { traceListSpec } from '../traces/trace-list-state.ts';

const SHOWN = 10;

/** Traces linked to this run (`mlflow.sourceRun`), newest first; the Traces tab, filtered, holds them all. */
export function RunTraces({ run }: { run: Run }) {
  const { experiment_id: expId, run_id: runId } = run.info;
  const traces = useRunTraces(runId, SHOWN);
  const items = traces.data?.traces ?? [];
  if (items.length === 0) return null;
  const all = hrefWith(`/experiments/${encodeURIComponent(expId)}/traces`, traceListSpec, {
    filter: `run_id = ${stringLiteral(runId)}`,
  });
  return (
    <section aria-labelledby="run-traces-h">
      <h2 id="run-traces-h">Traces</h2>
      <ul className="link-list" aria-label="Traces of this run">
        {items.map((t) => (
          <li key={t.trace_id}>
            <Link to={`/traces/${encodeURIComponent(t.trace_id)}`}>{t.name || shortId(t.trace_id)}</Link>{' '}
            <TraceState state={t.state} /> <span className="muted">{formatDuration(t.execution_time_ms)}</span>
          </li>
        ))}
      </ul>
      <p>
        <Link to={all}>{traces.data?.next_page_token ? 'More traces: show them all' : 'Show in the Traces tab'}</Link>
      </p>
    </section>
  );
}
