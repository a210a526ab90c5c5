import { formatTime } from '../../lib/format.ts';
import { useRunAlerts } from './queries.ts';
import './alerts.css';

/** The run's fired alerts, on top of its overview: rule, condition, step, value, when. */
export function RunAlerts({ runId }: { runId: string }) {
  const alerts = useRunAlerts(runId).data?.alerts ?? [];
  if (alerts.length === 0) return null;
  return (
    <section className="run-alerts" aria-labelledby="run-alerts-h">
      <h2 id="run-alerts-h">{alerts.length === 1 ? '1 alert fired' : `${alerts.length} alerts fired`} on this run</h2>
      <ul aria-label="Alerts of this run">
        {alerts.map((a) => (
          <li key={a.alert_id}>
            <strong>{a.rule_name}</strong>: {a.condition}
            {a.step !== undefined && <span className="muted"> · step {a.step}</span>}
            {a.value !== undefined && <span className="muted"> · value {String(a.value)}</span>}
            <span className="muted"> · {formatTime(a.fired_at)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
