import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { createWebhook, type WebhookInput } from '../../api/trove.ts';
import { Link, navigate } from '../../app/router.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { useWebhooks, webhookHref } from './queries.ts';
import { eventName, WebhookForm } from './WebhookForm.tsx';

/** Every webhook of the workspace, and a form to create one. */
export default function WebhooksPage() {
  const hooks = useWebhooks();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const create = useMutation({
    mutationFn: (input: WebhookInput) => createWebhook(input),
    onSuccess: (hook) => {
      void qc.invalidateQueries({ queryKey: ['webhooks'] });
      navigate(webhookHref(hook.webhook_id));
    },
  });
  const list = hooks.data ?? [];
  return (
    <section className="page">
      <div className="page-header">
        <h1>Webhooks</h1>
        {!creating ? (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New webhook
          </button>
        ) : null}
      </div>
      {creating ? (
        <>
          <h2>New webhook</h2>
          <WebhookForm
            submitLabel="Create webhook"
            onSubmit={(i) => create.mutate(i)}
            pending={create.isPending}
            error={create.error}
            onCancel={() => setCreating(false)}
          />
        </>
      ) : null}
      <ErrorBox error={hooks.error} title="Could not load webhooks." />
      {hooks.isPending ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty>No webhooks yet.</Empty>
      ) : (
        <table className="data" aria-label="Webhooks">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.map((w) => (
              <tr key={w.webhook_id} data-webhook-id={w.webhook_id}>
                <td>
                  <Link to={webhookHref(w.webhook_id)}>{w.name}</Link>
                </td>
                <td>
                  <span className={`badge hook-${w.status.toLowerCase()}`}>{w.status}</span>
                </td>
                <td className="mono">{w.url}</td>
                <td>
                  {w.events.map((e) => (
                    <span key={eventName(e)} className="chip">
                      {eventName(e)}
                    </span>
                  ))}
                </td>
                <td>{formatTime(w.last_updated_timestamp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
