import type { ModelHistory } from '@trove/protocol';
import { Link } from '../../app/router.tsx';

const runHref = (r: ModelHistory.HistoryRun) =>
  r.experiment_id ? `/experiments/${r.experiment_id}/runs/${r.run_id}` : `/runs/${r.run_id}`;

/** A history run as a link to its page, or what is known of it when it is gone or hidden. */
export function RunLink({ run }: { run: ModelHistory.HistoryRun }) {
  if (run.missing)
    return (
      <span className="muted" data-missing-run={run.run_id}>
        run {run.run_id} (no longer exists or not visible)
      </span>
    );
  return (
    <Link to={runHref(run)} data-run-link={run.run_id}>
      {run.run_name || run.run_id.slice(0, 8)}
    </Link>
  );
}
