import { bool, defineMessage, enumOf, i32, objList, str, strList } from '../message.ts';

// Notifications (`/api/trove/v1/watches…`, `/notifications…`, `/me/notification-…`).

export const WATCH_TARGETS = ['experiment', 'run', 'model'] as const;
export type WatchTargetType = (typeof WATCH_TARGETS)[number];

/** What a notification is about; a user turns each on or off per channel. */
export const NOTIFICATION_KINDS = [
  'review_requested',
  'review_decided',
  'mention',
  'comment',
  'stage_alias',
  'new_version',
  'deployment',
  'run_failed',
  'run_finished',
  'alert',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_CHANNELS = ['inbox', 'email', 'slack', 'teams'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** What each kind means, for the settings page. */
export const KIND_LABELS: Record<NotificationKind, string> = {
  review_requested: 'A review is requested on a model I can decide or watch',
  review_decided: 'My review request is decided',
  mention: 'Someone @mentions me in a comment',
  comment: 'A comment on something I watch',
  stage_alias: 'A stage or alias changes on a model I watch',
  new_version: 'A new version of a model I watch',
  deployment: 'A model I watch is deployed',
  run_failed: 'A run of mine or one I watch fails',
  run_finished: 'A run I watch finishes',
  alert: 'An alert fires on a run of mine or one I watch',
};

/** Email is on by default only for what asks something of the user or is about their own work. */
const EMAIL_BY_DEFAULT: ReadonlySet<NotificationKind> = new Set([
  'review_requested',
  'review_decided',
  'mention',
  'alert',
]);

/** Whether a channel is on for a kind when the user has not chosen. */
export function defaultPreference(kind: NotificationKind, channel: NotificationChannel): boolean {
  if (channel === 'inbox') return true;
  if (channel === 'email') return EMAIL_BY_DEFAULT.has(kind);
  return false;
}

const target = {
  experiment_id: str(),
  run_id: str(),
  /** A registered model's name. */
  name: str(),
};
export const Watch = defineMessage(target);
export const WatchStatus = defineMessage(target);
export const ListNotifications = defineMessage({ unread: str(), page_token: str(), max_results: i32() });
export const MarkRead = defineMessage({ ids: strList(), all: bool() });
export const SetPreferences = defineMessage({
  /** `[{kind, channel, enabled}]`. */
  preferences: objList(),
  /** '' clears; absent leaves as is. */
  email: str(),
  slack_url: str(),
  teams_url: str(),
});
export const SendTest = defineMessage({ channel: enumOf(['email', 'slack', 'teams'] as const, true) });

export interface WatchEntry {
  target_type: WatchTargetType;
  /** Experiment id, run id, or model name. */
  target_id: string;
  label: string;
  creation_timestamp: number;
}

export interface NotificationEntry {
  id: string;
  kind: NotificationKind;
  workspace: string;
  actor: string | null;
  title: string;
  body: string;
  /** The UI path of what it is about (with the workspace prefix). */
  link: string;
  creation_timestamp: number;
  read: boolean;
}

export interface ListNotificationsResponse {
  notifications: NotificationEntry[];
  next_page_token?: string;
}

export interface PreferencesResponse {
  preferences: { kind: NotificationKind; channel: NotificationChannel; enabled: boolean }[];
  email: string | null;
  /** Whether a Slack/Teams URL is set; the URL itself is never sent back. */
  slack_configured: boolean;
  teams_configured: boolean;
  /** False when the server has no SMTP settings: the email channel is off for everyone. */
  email_available: boolean;
  recent_failures: { channel: string; error: string | null; time: number }[];
}
