import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import {
  type Delivery,
  deleteWebhook,
  redeliver,
  testWebhook,
  updateWebhook,
  type Webhook,
  type WebhookInput,
} from '../../api/trove.ts';
import { Link, navigate } from '../../app/router.tsx';
import { KeyValueTable } from '../../components/KeyValueTable.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { latestError } from '../../lib/latest-error.ts';
import { useDeliveries, useWebhook } from './queries.ts';
import { eventName, WebhookForm } from './WebhookForm.tsx';

/** One webhook: details, edit, enable/disable, delete, send a test, and its delivery log. */
export default function WebhookPage({ webhookId }: { webhookId: string }) {
  const hook = useWebhook(webhookId);
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['webhook', webhookId] });
    void qc.invalidateQueries({ queryKey: ['webhooks'] });
  };
  const update = useMutation({
    mutationFn: (input: WebhookInput) => updateWebhook(webhookId, input),
    onSuccess: () => {
      setEditing(false);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteWebhook(webhookId),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['webhooks'] });
      navigate('/webhooks');
    },
  });
  if (hook.isPending) return <Loading label="Loading webhook…" />;
  if (!hook.data) {
    return (
      <section className="page">
        <ErrorBox error={hook.error} title="Could not load the webhook." />
      </section>
    );
  }
  const w = hook.data;
  const active = w.status === 'ACTIVE';
  return (
    <section className="page">
      <div className="breadcrumbs">
        <Link to="/webhooks">Webhooks</Link> /
      </div>
      <div className="page-header">
        <h1>{w.name}</h1>
        <span className={`badge hook-${w.status.toLowerCase()}`} data-testid="webhook-status">
          {w.status}
        </span>
        <div className="button-row">
          <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
            Edit
          </button>
          <button
            type="button"
            onClick={() => update.mutate({ status: active ? 'DISABLED' : 'ACTIVE' })}
            disabled={update.isPending}
          >
            {active ? 'Disable' : 'Enable'}
          </button>
          <button
            type="button"
            onClick={() => {
              if (window.confirm(`Delete webhook “${w.name}”? Its delivery log goes with it.`)) remove.mutate();
            }}
            disabled={remove.isPending}
          >
            Delete
          </button>
        </div>
      </div>
      <ErrorBox error={latestError(update, remove)} />
      {editing ? (
        <WebhookForm
          key={w.last_updated_timestamp}
          initial={w}
          submitLabel="Save webhook"
          onSubmit={(i) => update.mutate(i)}
          pending={update.isPending}
          error={update.error}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <KeyValueTable
          label="Webhook"
          rows={[
            [
              'URL',
              <span key="u" className="mono">
                {w.url}
              </span>,
            ],
            [
              'Description',
              w.description || (
                <span key="d" className="muted">
                  none
                </span>
              ),
            ],
            [
              'Events',
              <span key="e">
                {w.events.map((e) => (
                  <span key={eventName(e)} className="chip">
                    {eventName(e)}
                  </span>
                ))}
              </span>,
            ],
            ['Created', formatTime(w.creation_timestamp)],
            ['Updated', formatTime(w.last_updated_timestamp)],
            [
              'ID',
              <span key="i" className="mono">
                {w.webhook_id}
              </span>,
            ],
          ]}
        />
      )}
      <h2>Send a test</h2>
      <TestPanel hook={w} />
      <h2>Deliveries</h2>
      <DeliveryLog webhookId={webhookId} />
    </section>
  );
}

function TestPanel({ hook }: { hook: Webhook }) {
  const [event, setEvent] = useState(0);
  const id = useId();
  const test = useMutation({ mutationFn: () => testWebhook(hook.webhook_id, hook.events[event]) });
  const r = test.data;
  return (
    <div className="test-panel">
      <div className="toolbar">
        <div className="field">
          <label htmlFor={id}>Test event</label>
          <select id={id} value={event} onChange={(e) => setEvent(Number(e.target.value))}>
            {hook.events.map((e, i) => (
              <option key={eventName(e)} value={i}>
                {eventName(e)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
          {test.isPending ? 'Sending…' : 'Send test'}
        </button>
      </div>
      <ErrorBox error={test.error} />
      {r ? (
        <div className={`test-result ${r.success ? 'ok' : 'failed'}`} role="status" data-success={String(r.success)}>
          <strong>{r.success ? 'Delivered' : 'Failed'}</strong>
          {r.response_status !== undefined ? ` · HTTP ${r.response_status}` : ''}
          {r.error_message ? ` · ${r.error_message}` : ''}
          {r.response_body ? <pre className="excerpt">{r.response_body}</pre> : null}
        </div>
      ) : null}
    </div>
  );
}

function DeliveryLog({ webhookId }: { webhookId: string }) {
  const [status, setStatus] = useState('');
  const id = useId();
  const deliveries = useDeliveries(webhookId, status);
  const list = deliveries.data?.deliveries ?? [];
  return (
    <div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={id}>Delivery status</label>
          <select id={id} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">all</option>
            <option value="pending">pending</option>
            <option value="delivered">delivered</option>
            <option value="failed">failed</option>
          </select>
        </div>
        <button type="button" onClick={() => deliveries.refetch()} disabled={deliveries.isFetching}>
          Refresh
        </button>
      </div>
      <ErrorBox error={deliveries.error} title="Could not load deliveries." />
      {deliveries.isPending ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty>No deliveries{status ? ` with status ${status}` : ''}.</Empty>
      ) : (
        <ul className="delivery-list" aria-label="Deliveries">
          {list.map((d) => (
            <DeliveryItem key={d.delivery_id} delivery={d} webhookId={webhookId} />
          ))}
        </ul>
      )}
    </div>
  );
}

function DeliveryItem({ delivery: d, webhookId }: { delivery: Delivery; webhookId: string }) {
  const qc = useQueryClient();
  const again = useMutation({
    mutationFn: () => redeliver(d.delivery_id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['webhook-deliveries', webhookId] }),
  });
  return (
    <li className="delivery" data-delivery-id={d.delivery_id} data-status={d.status}>
      <details>
        <summary>
          <span className={`badge delivery-${d.status}`}>{d.status}</span>{' '}
          <span className="mono">{`${d.entity}.${d.action}`}</span>{' '}
          <span className="muted">
            {formatTime(d.creation_timestamp)} · {d.attempt_count} attempt{d.attempt_count === 1 ? '' : 's'}
            {d.next_attempt_timestamp ? ` · next ${formatTime(d.next_attempt_timestamp)}` : ''}
          </span>
        </summary>
        {d.attempts.length === 0 ? (
          <p className="muted">Not attempted yet.</p>
        ) : (
          <table className="data attempts" aria-label={`Attempts of delivery ${d.delivery_id}`}>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Result</th>
                <th scope="col">Status</th>
                <th scope="col">Latency</th>
                <th scope="col">Response</th>
              </tr>
            </thead>
            <tbody>
              {d.attempts.map((a) => (
                <tr key={a.attempt} data-attempt={a.attempt}>
                  <td>{a.attempt}</td>
                  <td>{formatTime(a.timestamp)}</td>
                  <td>{a.success ? 'ok' : 'failed'}</td>
                  <td>{a.status_code ?? '—'}</td>
                  <td>{a.latency_ms} ms</td>
                  <td className="mono excerpt-cell">{a.response_excerpt ?? a.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <details className="payload">
          <summary>Payload</summary>
          <pre>{JSON.stringify(d.payload, null, 2).slice(0, 8000)}</pre>
        </details>
      </details>
      <button
        type="button"
        onClick={() => again.mutate()}
        disabled={again.isPending}
        aria-label={`Redeliver ${d.delivery_id}`}
      >
        Redeliver
      </button>
      <ErrorBox error={again.error} />
    </li>
  );
}
