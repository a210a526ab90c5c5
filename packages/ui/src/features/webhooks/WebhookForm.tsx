import { VALID_WEBHOOK_EVENTS } from '@trove/protocol';
import { useId, useState } from 'react';
import type { Webhook, WebhookEvent, WebhookInput } from '../../api/trove.ts';
import { ErrorBox } from '../../components/status.tsx';

/** The (entity → actions) pairs a webhook may subscribe to: the server's own table. */
export const WEBHOOK_EVENTS: Record<string, readonly string[]> = VALID_WEBHOOK_EVENTS;

export const eventName = (e: WebhookEvent) => `${e.entity}.${e.action}`.toLowerCase();

/** Create or edit a webhook: name, URL, description, secret (write-only), events, status. */
export function WebhookForm({
  initial,
  submitLabel,
  onSubmit,
  pending,
  error,
  onCancel,
}: {
  initial?: Webhook;
  submitLabel: string;
  onSubmit: (input: WebhookInput) => void;
  pending: boolean;
  error: unknown;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(initial?.name ?? '');
  const [url, setUrl] = useState(initial?.url ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [secret, setSecret] = useState('');
  const [active, setActive] = useState((initial?.status ?? 'ACTIVE') === 'ACTIVE');
  const [events, setEvents] = useState<Set<string>>(
    new Set((initial?.events ?? []).map((e) => `${e.entity}:${e.action}`)),
  );
  const ids = { name: useId(), url: useId(), description: useId(), secret: useId() };
  const toggle = (key: string, on: boolean) => {
    const next = new Set(events);
    if (on) next.add(key);
    else next.delete(key);
    setEvents(next);
  };
  return (
    <form
      className="webhook-form"
      aria-label={submitLabel}
      onSubmit={(e) => {
        e.preventDefault();
        const input: WebhookInput = {
          name: name.trim(),
          url: url.trim(),
          description,
          events: [...events].map((k) => {
            const [entity, action] = k.split(':');
            return { entity, action };
          }),
          status: active ? 'ACTIVE' : 'DISABLED',
        };
        if (secret) input.secret = secret;
        onSubmit(input);
      }}
    >
      <div className="toolbar">
        <div className="field">
          <label htmlFor={ids.name}>Name</label>
          <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} required />
        </div>
        <div className="field grow">
          <label htmlFor={ids.url}>URL</label>
          <input
            id={ids.url}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            placeholder="https://hooks.example.com/mlflow"
          />
        </div>
        <div className="field">
          <label htmlFor={ids.secret}>Secret</label>
          <input
            id={ids.secret}
            type="password"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            placeholder={initial ? 'unchanged' : 'optional'}
            autoComplete="new-password"
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> Active
        </label>
      </div>
      <div className="field">
        <label htmlFor={ids.description}>Description</label>
        <input id={ids.description} value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <fieldset className="events">
        <legend>Events</legend>
        {Object.entries(WEBHOOK_EVENTS).map(([entity, actions]) => (
          <div key={entity} className="event-group">
            <span className="mono">{entity.toLowerCase()}</span>
            {actions.map((action) => {
              const key = `${entity}:${action}`;
              return (
                <label key={key} className="check">
                  <input
                    type="checkbox"
                    checked={events.has(key)}
                    onChange={(e) => toggle(key, e.target.checked)}
                    aria-label={`${entity.toLowerCase()}.${action.toLowerCase()}`}
                  />
                  {action.toLowerCase()}
                </label>
              );
            })}
          </div>
        ))}
      </fieldset>
      <ErrorBox error={error} title="Could not save the webhook." />
      <div className="button-row">
        <button
          type="submit"
          className="primary"
          disabled={pending || events.size === 0 || !name.trim() || !url.trim()}
        >
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
