import type { Generated } from 'kysely';

/** Tables of migration 0018_notifications. */
export interface WatchTable {
  workspace_id: number;
  /** `experiment` | `run` | `model`. */
  target_type: string;
  /** An experiment id, a run uuid, or a registered model's numeric id. */
  target_id: string;
  user_name: string;
  creation_time: number;
}

export interface NotificationTable {
  id: Generated<number>;
  user_name: string;
  workspace_id: number;
  event_id: number;
  kind: string;
  actor: string | null;
  title: string;
  body: string;
  /** A UI path (`/w/<ws>/models/…`), made absolute with the public URL in emails. */
  link: string;
  /** 0 when the user turned the inbox off for this kind and the row exists only for other channels. */
  in_inbox: number;
  creation_time: number;
  read_time: number | null;
}

export interface NotificationPreferenceTable {
  user_name: string;
  kind: string;
  /** `inbox` | `email` | `slack` | `teams`. */
  channel: string;
  enabled: number;
}

export interface NotificationChannelTable {
  user_name: string;
  email: string | null;
  /** Sealed with TROVE_SECRET_KEY when set (`secret-box.ts`). */
  slack_url: string | null;
  teams_url: string | null;
  last_update_time: number;
}

export interface NotificationDeliveryTable {
  id: Generated<number>;
  delivery_id: string;
  notification_id: number;
  user_name: string;
  channel: string;
  /** `pending` | `sent` | `failed` | `skipped`. */
  status: string;
  attempts: number;
  next_attempt_time: number;
  claimed_until: number;
  claim_token: string | null;
  creation_time: number;
  last_attempt_time: number | null;
  sent_time: number | null;
  last_error: string | null;
}

export interface NotificationDatabase {
  watches: WatchTable;
  notifications: NotificationTable;
  notification_preferences: NotificationPreferenceTable;
  notification_channels: NotificationChannelTable;
  notification_deliveries: NotificationDeliveryTable;
}
