import { Link } from '../../app/router.tsx';
import './experiment-tabs.css';

/** Runs | Traces | Alerts under an experiment's title: two pages, so each keeps its own URL state. */
export function ExperimentTabs({
  experimentId,
  current,
}: {
  experimentId: string;
  current: 'runs' | 'traces' | 'alerts';
}) {
  const base = `/experiments/${encodeURIComponent(experimentId)}`;
  return (
    <nav className="experiment-tabs" aria-label="Experiment sections">
      <Link to={base} aria-current={current === 'runs' ? 'page' : undefined}>
        Runs
      </Link>
      <Link to={`${base}/traces`} aria-current={current === 'traces' ? 'page' : undefined}>
        Traces
      </Link>
      <Link to={`${base}/alerts`} aria-current={current === 'alerts' ? 'page' : undefined}>
        Alerts
      </Link>
    </nav>
  );
}
