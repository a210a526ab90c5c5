import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Notifications: what users watch, their inbox, their per-event × channel choices, their channel
 * settings (email address, Slack/Teams incoming-webhook URLs, sealed like webhook secrets) and the
 * durable outbox of deliveries to those channels. Users are named by their user name (as actors
 * are), so the tables work with auth off (`X-Trove-User`) as with it on.
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  // target_id: an experiment id, a run uuid, or a registered model's numeric id (so a rename keeps the watch).
  await exec(`CREATE TABLE watches (
    workspace_id INTEGER NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    creation_time BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, target_type, target_id, user_name))${ddl.clustered}`);
  await exec('CREATE INDEX watches_by_user ON watches (user_name, creation_time)');

  // One row per (user, event): the unique key is what makes a fan-out idempotent.
  await exec(`CREATE TABLE notifications (
    ${ddl.idColumn('id')},
    user_name TEXT NOT NULL,
    workspace_id INTEGER NOT NULL,
    event_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    in_inbox INTEGER NOT NULL,
    creation_time BIGINT NOT NULL,
    read_time BIGINT,
    UNIQUE (user_name, event_id))`);
  await exec('CREATE INDEX notifications_inbox ON notifications (user_name, in_inbox, id)');
  await exec('CREATE INDEX notifications_unread ON notifications (user_name, read_time)');

  // Only the choices a user changed; the defaults live in code.
  await exec(`CREATE TABLE notification_preferences (
    user_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    PRIMARY KEY (user_name, kind, channel))${ddl.clustered}`);

  await exec(`CREATE TABLE notification_channels (
    user_name TEXT NOT NULL PRIMARY KEY,
    email TEXT,
    slack_url TEXT,
    teams_url TEXT,
    last_update_time BIGINT NOT NULL)`);

  await exec(`CREATE TABLE notification_deliveries (
    ${ddl.idColumn('id')},
    delivery_id TEXT NOT NULL UNIQUE,
    notification_id BIGINT NOT NULL,
    user_name TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_time BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL,
    claim_token TEXT,
    creation_time BIGINT NOT NULL,
    last_attempt_time BIGINT,
    sent_time BIGINT,
    last_error TEXT,
    UNIQUE (notification_id, channel))`);
  await exec('CREATE INDEX notification_deliveries_due ON notification_deliveries (status, next_attempt_time)');
}
