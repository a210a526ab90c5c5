import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Reviews (policies, requests, votes), comments, webhooks and their durable delivery outbox.
 * `registry_events` gains `run_id` so run events (comments on runs, runs finishing) share the one
 * event log that feeds the activity API and the outbox.
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec('ALTER TABLE registry_events ADD COLUMN run_id TEXT');
  await exec('CREATE INDEX registry_events_by_run ON registry_events (run_id, id)');

  await exec(`CREATE TABLE review_policies (
    model_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    required_approvals INTEGER NOT NULL,
    PRIMARY KEY (model_id, kind, target))${ddl.clustered}`);
  await exec(`CREATE TABLE review_requests (
    ${ddl.idColumn('id')},
    workspace_id INTEGER NOT NULL,
    model_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    archive_existing INTEGER NOT NULL,
    requester TEXT NOT NULL,
    comment TEXT,
    status TEXT NOT NULL,
    required_approvals INTEGER NOT NULL,
    status_message TEXT,
    claimed_until BIGINT NOT NULL,
    creation_time BIGINT NOT NULL,
    last_update_time BIGINT NOT NULL)`);
  await exec('CREATE INDEX review_requests_by_model ON review_requests (model_id, id)');
  // One vote per user and request: the primary key is what makes approvers distinct.
  await exec(`CREATE TABLE review_votes (
    request_id INTEGER NOT NULL,
    actor TEXT NOT NULL,
    decision TEXT NOT NULL,
    comment TEXT,
    time BIGINT NOT NULL,
    PRIMARY KEY (request_id, actor))${ddl.clustered}`);

  await exec(`CREATE TABLE comments (
    ${ddl.idColumn('id')},
    workspace_id INTEGER NOT NULL,
    model_id INTEGER,
    version INTEGER,
    run_uuid TEXT,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    creation_time BIGINT NOT NULL,
    last_update_time BIGINT NOT NULL)`);
  await exec('CREATE INDEX comments_by_version ON comments (model_id, version, id)');
  await exec('CREATE INDEX comments_by_run ON comments (run_uuid, id)');

  await exec(`CREATE TABLE webhooks (
    webhook_id TEXT NOT NULL PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    url TEXT NOT NULL,
    secret TEXT,
    status TEXT NOT NULL,
    creation_time BIGINT NOT NULL,
    last_update_time BIGINT NOT NULL)`);
  await exec('CREATE INDEX webhooks_by_workspace ON webhooks (workspace_id, creation_time)');
  await exec(`CREATE TABLE webhook_events (
    webhook_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    action TEXT NOT NULL,
    PRIMARY KEY (webhook_id, entity, action))${ddl.clustered}`);
  await exec('CREATE INDEX webhook_events_by_event ON webhook_events (entity, action)');

  // The outbox: one row per (event, subscribed webhook), written in the event's transaction.
  await exec(`CREATE TABLE webhook_deliveries (
    ${ddl.idColumn('id')},
    delivery_id TEXT NOT NULL UNIQUE,
    webhook_id TEXT NOT NULL,
    workspace_id INTEGER NOT NULL,
    event_id BIGINT,
    entity TEXT NOT NULL,
    action TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    retry_floor INTEGER NOT NULL,
    next_attempt_time BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL,
    claim_token TEXT,
    creation_time BIGINT NOT NULL,
    last_attempt_time BIGINT)`);
  await exec('CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_time)');
  await exec('CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id)');
  await exec(`CREATE TABLE webhook_delivery_attempts (
    ${ddl.idColumn('id')},
    delivery_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    time BIGINT NOT NULL,
    status_code INTEGER,
    latency_ms INTEGER NOT NULL,
    response_excerpt TEXT,
    error TEXT,
    success INTEGER NOT NULL)`);
  await exec('CREATE INDEX webhook_attempts_by_delivery ON webhook_delivery_attempts (delivery_id, attempt)');
}
