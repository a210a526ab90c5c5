import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { formatTime } from '../../lib/format.ts';
import { useLiveTopic } from '../../lib/live.ts';
import { useRunAlerts } from './queries.ts';
import './alerts.css';

/** The run's fired alerts, on top of its overview: rule, condition, step, value, when; a new one arrives live. */
export function RunAlerts({ runId }: { runId: string }) {
  const client = useQueryClient();
  const reread = useCallback(
    () => void client.invalidateQueries({ queryKey: ['alerts', 'run', runId] }),
    [client, runId],
  );
  const status = useLiveTopic([`run:${runId}`], (e) => {
    if (e.name === 'alert') reread();
  });
  // Once the stream is open, read again: an alert fired between the first read and the connection is no event here.
  useEffect(() => {
    if (status === 'live') reread();
  }, [status, reread]);
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
