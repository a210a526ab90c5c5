import { Notifications } from '@trove/protocol';
import { useEffect, useState } from 'react';
import { sendTest } from '../../api/notifications.ts';
import { Link } from '../../app/router.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';
import { usePreferences, useSavePreferences } from './queries.ts';
import './notifications.css';

const { NOTIFICATION_KINDS, NOTIFICATION_CHANNELS, KIND_LABELS } = Notifications;
type Channel = Notifications.NotificationChannel;

/** Which events reach which channel (a matrix of checkboxes), and where email, Slack and Teams go. */
export default function NotificationSettingsPage() {
  const user = useCurrentUser();
  const prefs = usePreferences(user);
  const save = useSavePreferences(user);
  const [email, setEmail] = useState('');
  const [slack, setSlack] = useState('');
  const [teams, setTeams] = useState('');
  const [test, setTest] = useState<string>('');
  useEffect(() => setEmail(prefs.data?.email ?? ''), [prefs.data?.email]);
  if (!user)
    return (
      <section className="page">
        <h1>Notification settings</h1>
        <p>Set who you are (“Acting as”, or sign in) first.</p>
      </section>
    );
  if (prefs.isPending) return <Loading />;
  if (prefs.error) return <ErrorBox error={prefs.error} />;
  const p = prefs.data;
  const enabled = (kind: string, channel: string) =>
    p.preferences.find((x) => x.kind === kind && x.channel === channel)?.enabled ?? false;
  const runTest = async (channel: Exclude<Channel, 'inbox'>) => {
    setTest(`Sending a test to ${channel}…`);
    try {
      const r = await sendTest(channel);
      setTest(r.sent ? `Test sent to ${channel}.` : `The ${channel} test failed: ${r.error}`);
    } catch (e) {
      setTest(`The ${channel} test failed: ${(e as Error).message}`);
    }
  };
  return (
    <section className="page notification-settings">
      <h1>Notification settings</h1>
      <p>
        <Link to="/notifications">Back to notifications</Link>
      </p>
      {save.error ? <ErrorBox error={save.error} /> : null}
      <table className="pref-matrix">
        <thead>
          <tr>
            <th scope="col">Event</th>
            {NOTIFICATION_CHANNELS.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {NOTIFICATION_KINDS.map((kind) => (
            <tr key={kind}>
              <th scope="row">{KIND_LABELS[kind]}</th>
              {NOTIFICATION_CHANNELS.map((channel) => (
                <td key={channel}>
                  <input
                    type="checkbox"
                    aria-label={`${KIND_LABELS[kind]}: ${channel}`}
                    checked={enabled(kind, channel)}
                    disabled={save.isPending}
                    onChange={(e) => save.mutate({ preferences: [{ kind, channel, enabled: e.target.checked }] })}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Channels</h2>
      {p.email_available ? null : (
        <p className="muted">Email is off on this server: it has no SMTP settings (an admin sets --smtp-url).</p>
      )}
      <form
        className="channel-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            email,
            ...(slack ? { slack_url: slack } : {}),
            ...(teams ? { teams_url: teams } : {}),
          });
          setSlack('');
          setTeams('');
        }}
      >
        <label>
          Email address <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Slack incoming-webhook URL{p.slack_configured ? ' (set)' : ''}{' '}
          <input
            type="url"
            value={slack}
            placeholder="https://hooks.slack.com/…"
            onChange={(e) => setSlack(e.target.value)}
          />
        </label>
        <label>
          Teams incoming-webhook URL{p.teams_configured ? ' (set)' : ''}{' '}
          <input type="url" value={teams} placeholder="https://…" onChange={(e) => setTeams(e.target.value)} />
        </label>
        <button type="submit" disabled={save.isPending}>
          Save channels
        </button>
      </form>
      <p className="test-buttons">
        <button type="button" onClick={() => runTest('email')} disabled={!p.email_available || !p.email}>
          Send test email
        </button>
        <button type="button" onClick={() => runTest('slack')} disabled={!p.slack_configured}>
          Send test to Slack
        </button>
        <button type="button" onClick={() => runTest('teams')} disabled={!p.teams_configured}>
          Send test to Teams
        </button>
      </p>
      {test ? <p role="status">{test}</p> : null}
      {p.recent_failures.length > 0 ? (
        <>
          <h2>Recent failed deliveries</h2>
          <ul>
            {p.recent_failures.map((f) => (
              <li key={`${f.channel}-${f.time}`}>
                {f.channel}: {f.error} ({new Date(f.time).toLocaleString()})
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
