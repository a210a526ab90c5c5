import { randomUUID } from 'node:crypto';
import { Notifications } from '@trove/protocol';
import {
  emailOf,
  findChannelSettings,
  findRunByUuid,
  insertNotificationDelivery,
  insertNotifications,
  knownUserNames,
  modelDeciders,
  preferencesOf,
  reviewPolicyRulesFor,
  type StoreDb,
  watchersOf,
  workspaceNameOf,
} from '@trove/store';
import { publishLive } from '../services/live-events.ts';
import type { RegistryEvent } from '../services/registry-events.ts';
import { type Audience, type EventNotice, noticeOf, workspacePrefix } from './event-notice.ts';
import { mentionedNames } from './mentions.ts';

type NotificationKind = Notifications.NotificationKind;
type NotificationChannel = Notifications.NotificationChannel;
const { NOTIFICATION_CHANNELS, defaultPreference } = Notifications;

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** The approver groups the policy rules of a review request's change name. */
async function approverGroups(db: StoreDb, e: RegistryEvent): Promise<string[]> {
  if (e.modelId === null) return [];
  const p = e.payload;
  const [kind, target] = p.action === 'transition' ? ['stage', str(p.stage)] : ['alias', str(p.alias)];
  const groups = new Set<string>();
  for (const rule of await reviewPolicyRulesFor(db, e.modelId, kind, target)) {
    try {
      for (const g of JSON.parse(rule.approver_groups ?? '[]') as unknown[]) groups.add(String(g));
    } catch {
      // A malformed rule names no group; the policy service refuses to write one.
    }
  }
  return [...groups];
}

async function audienceOf(
  db: StoreDb,
  e: RegistryEvent,
  audience: Audience | undefined,
  runOwner: string,
): Promise<string[]> {
  switch (audience?.role) {
    case 'deciders':
      return modelDeciders(db, e.workspaceId, e.modelName, await approverGroups(db, e));
    case 'requester':
      return [str(e.payload.requester)].filter((u) => u !== '');
    case 'mentioned':
      return knownUserNames(db, mentionedNames(str(e.payload.body)));
    case 'run_owner':
      return runOwner ? [runOwner] : [];
    default:
      return [];
  }
}

/** Each recipient's kind: the direct audience's kind wins over a watcher's. */
async function recipientsOf(db: StoreDb, e: RegistryEvent, n: EventNotice, runOwner: string) {
  const kinds = new Map<string, NotificationKind>();
  for (const u of await audienceOf(db, e, n.audience, runOwner)) kinds.set(u, n.directKind ?? n.kind);
  for (const w of await watchersOf(db, e.workspaceId, n.watched))
    if (!kinds.has(w.user_name)) kinds.set(w.user_name, n.kind);
  // Nobody is told of what they did themselves; run events and alerts name the run's owner as
  // actor, and the owner still wants to hear their run failed.
  if (e.actor && e.entity !== 'run' && e.entity !== 'alert') kinds.delete(e.actor);
  return kinds;
}

/** The channels a user takes a kind on: their choices over the defaults. */
function enabledChannels(
  user: string,
  kind: NotificationKind,
  prefs: { user_name: string; kind: string; channel: string; enabled: number }[],
): NotificationChannel[] {
  return NOTIFICATION_CHANNELS.filter((channel) => {
    const chosen = prefs.find((p) => p.user_name === user && p.kind === kind && p.channel === channel);
    return chosen ? Number(chosen.enabled) === 1 : defaultPreference(kind, channel);
  });
}

/** Whether a user has somewhere to receive a channel (an address, a webhook URL). */
async function reachable(db: StoreDb, user: string, channel: NotificationChannel): Promise<boolean> {
  if (channel === 'email') return (await emailOf(db, user)) !== null;
  const settings = await findChannelSettings(db, user);
  return Boolean(channel === 'slack' ? settings?.slack_url : settings?.teams_url);
}

/**
 * Turns an event into notifications, in the event's transaction (as webhook deliveries are): an
 * inbox row per recipient and a delivery row per other channel they take it on, so a crash can
 * neither lose a notification nor send one the change never made. Events of entities not known
 * here notify nobody.
 */
export async function queueNotifications(db: StoreDb, eventId: number, e: RegistryEvent, time: number): Promise<void> {
  const runInfo = e.runId ? await runInfoOf(db, e) : { experimentId: '', owner: '' };
  const notice = noticeOf(e, runInfo.experimentId || undefined);
  if (!notice) return;
  const kinds = await recipientsOf(db, e, notice, runInfo.owner);
  if (kinds.size === 0) return;
  const users = [...kinds.keys()];
  const prefs = await preferencesOf(db, users);
  const link = workspacePrefix(await workspaceNameOf(db, e.workspaceId)) + notice.path;
  const channelsOf = new Map<string, NotificationChannel[]>();
  for (const [user, kind] of kinds) {
    const channels = enabledChannels(user, kind, prefs);
    if (channels.length > 0) channelsOf.set(user, channels);
  }
  if (channelsOf.size === 0) return;
  // One multi-row insert and one live event for all recipients: a model watched by many stays cheap
  // in the change's transaction.
  const ids = await insertNotifications(
    db,
    [...channelsOf].map(([user, channels]) => ({
      user_name: user,
      workspace_id: e.workspaceId,
      event_id: eventId,
      kind: kinds.get(user) as NotificationKind,
      actor: e.actor ?? null,
      title: notice.title.slice(0, 500),
      body: notice.body.slice(0, 4000),
      link,
      in_inbox: channels.includes('inbox') ? 1 : 0,
      creation_time: time,
      read_time: null,
    })),
  );
  const inboxTopics = [...ids.keys()]
    .filter((u) => channelsOf.get(u)?.includes('inbox'))
    .map((u) => `user:${u}` as const);
  // Open pages of the users (the bell) learn of it at once, in this workspace's stream.
  if (inboxTopics.length > 0)
    await publishLive(db, e.workspaceId, inboxTopics, 'notification', { kind: notice.kind, title: notice.title, link });
  for (const [user, id] of ids) {
    for (const channel of channelsOf.get(user) ?? []) {
      if (channel === 'inbox' || !(await reachable(db, user, channel))) continue;
      await insertNotificationDelivery(db, { deliveryId: randomUUID(), notificationId: id, user, channel, now: time });
    }
  }
}

/** A run event's experiment and owner: from its payload when it says, else from the run. */
async function runInfoOf(db: StoreDb, e: RegistryEvent): Promise<{ experimentId: string; owner: string }> {
  const p = e.payload;
  if (p.experiment_id !== undefined && p.user_id !== undefined)
    return { experimentId: str(p.experiment_id), owner: str(p.user_id) };
  const run = await findRunByUuid(db, str(e.runId));
  return { experimentId: str(p.experiment_id ?? run?.experiment_id), owner: str(run?.user_id) };
}
