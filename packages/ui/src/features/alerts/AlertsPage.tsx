import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AlertRule } from '../../api/alerts.ts';
import { Link } from '../../app/router.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatTime, shortId } from '../../lib/format.ts';
import { useLiveTopic } from '../../lib/live.ts';
import { useExperiment } from '../experiments/queries.ts';
import { ExperimentTabs } from '../traces/ExperimentTabs.tsx';
import { AlertRuleForm } from './AlertRuleForm.tsx';
import { useAlertRuleMutations, useAlertRules, useExperimentAlerts } from './queries.ts';
import { ruleSummary } from './rule-summary.ts';
import './alerts.css';

/** An experiment's alert rules (list, create, edit, enable, delete) and its recent alerts (`/experiments/:id/alerts`). */
export default function AlertsPage({ experimentId }: { experimentId: string }) {
  const experiment = useExperiment(experimentId);
  const rules = useAlertRules(experimentId);
  const alerts = useExperimentAlerts(experimentId);
  const m = useAlertRuleMutations(experimentId);
  const [editing, setEditing] = useState<AlertRule | undefined>();
  const client = useQueryClient();
  useLiveTopic([`experiment:${experimentId}`], (e) => {
    if (e.name === 'alert') void client.invalidateQueries({ queryKey: ['alerts', 'experiment', experimentId] });
  });
  return (
    <section className="page">
      <div className="breadcrumbs">
        <Link to="/experiments">Experiments</Link> /
      </div>
      <div className="page-header">
        <h1>{experiment.data?.name ?? `Experiment ${experimentId}`}</h1>
        <span className="muted mono">ID {experimentId}</span>
      </div>
      <ExperimentTabs experimentId={experimentId} current="alerts" />
      <h2>Alert rules</h2>
      {editing ? (
        <AlertRuleForm
          key={`edit-${editing.rule_id}`}
          editing={editing}
          pending={m.update.isPending}
          error={m.update.error}
          onCancel={() => setEditing(undefined)}
          onSubmit={(patch) =>
            m.update.mutate({ id: editing.rule_id, patch }, { onSuccess: () => setEditing(undefined) })
          }
        />
      ) : (
        <AlertRuleForm
          key="new"
          pending={m.create.isPending}
          error={m.create.error}
          onSubmit={(rule) => m.create.mutate(rule, { onSuccess: () => m.create.reset() })}
        />
      )}
      <ErrorBox error={rules.error ?? m.remove.error ?? m.update.error} />
      {rules.isPending ? (
        <Loading label="Loading rules…" />
      ) : (rules.data?.rules.length ?? 0) === 0 ? (
        <Empty>No alert rules yet: a rule watches every run of this experiment.</Empty>
      ) : (
        <table className="data" aria-label="Alert rules">
          <thead>
            <tr>
              <th>Name</th>
              <th>Fires when</th>
              <th>Enabled</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.data?.rules.map((r) => (
              <tr key={r.rule_id}>
                <td>{r.name}</td>
                <td>{ruleSummary(r)}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Enabled: ${r.name}`}
                    checked={r.enabled}
                    onChange={(e) => m.update.mutate({ id: r.rule_id, patch: { enabled: e.target.checked } })}
                  />
                </td>
                <td>
                  <button type="button" onClick={() => setEditing(r)}>
                    Edit
                  </button>{' '}
                  <button type="button" aria-label={`Delete ${r.name}`} onClick={() => m.remove.mutate(r.rule_id)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Recent alerts</h2>
      {alerts.isPending ? (
        <Loading label="Loading alerts…" />
      ) : (alerts.data?.alerts.length ?? 0) === 0 ? (
        <Empty>No alert has fired.</Empty>
      ) : (
        <table className="data" aria-label="Recent alerts">
          <thead>
            <tr>
              <th>When</th>
              <th>Run</th>
              <th>Rule</th>
              <th>Condition</th>
            </tr>
          </thead>
          <tbody>
            {alerts.data?.alerts.map((a) => (
              <tr key={a.alert_id}>
                <td>{formatTime(a.fired_at)}</td>
                <td>
                  <Link
                    to={`/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(a.run_id)}`}
                    className="mono"
                  >
                    {shortId(a.run_id)}
                  </Link>
                </td>
                <td>{a.rule_name}</td>
                <td>{a.condition}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
