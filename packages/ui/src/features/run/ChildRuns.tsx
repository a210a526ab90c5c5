import type { Run } from '../../api/types.ts';
import { hrefWith, Link } from '../../app/router.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { identifier, stringLiteral } from '../../lib/filter.ts';
import { experimentSpec } from '../runs/experiment-state.ts';
import { runName } from '../runs/run-values.ts';
import { useChildRuns } from './queries.ts';

/** Runs whose `mlflow.parentRunId` is this run, each a link; the runs table, filtered, holds them all. */
export function ChildRuns({ run }: { run: Run }) {
  const { experiment_id: expId, run_id: runId } = run.info;
  const children = useChildRuns(expId, runId);
  const items = children.data?.items ?? [];
  if (items.length === 0) return null;
  const filter = `${identifier('tags', 'mlflow.parentRunId')} = ${stringLiteral(runId)}`;
  const all = hrefWith(`/experiments/${encodeURIComponent(expId)}`, experimentSpec, { filter });
  return (
    <section aria-labelledby="child-runs-h">
      <h2 id="child-runs-h">Child runs</h2>
      <ul className="link-list" aria-label="Child runs">
        {items.map((c) => (
          <li key={c.info.run_id}>
            <Link to={`/runs/${c.info.run_id}`}>{runName(c)}</Link> <StatusBadge status={c.info.status} />
          </li>
        ))}
      </ul>
      <p>
        <Link to={all}>
          {children.data?.nextPageToken ? 'More child runs: show them all in the runs table' : 'Show in the runs table'}
        </Link>
      </p>
    </section>
  );
}
