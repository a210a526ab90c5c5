import type { KeyValue, LoggedModel, LoggedModelStatus, Metric } from '@trove/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Database, LoggedModelTable } from '../schema.ts';
import { metricJsonValue } from './run.repository.ts';

export type LoggedModelRow = Selectable<LoggedModelTable>;

export function findLoggedModel(
  db: Kysely<Database>,
  modelId: string,
): Promise<(LoggedModelRow & { workspace_id: number }) | undefined> {
  return db
    .selectFrom('logged_models')
    .innerJoin('experiments', 'experiments.experiment_id', 'logged_models.experiment_id')
    .selectAll('logged_models')
    .select('experiments.workspace_id')
    .where('logged_models.model_id', '=', modelId)
    .executeTakeFirst();
}

function byModel<T extends { model_id: string }, V>(rows: T[], map: (r: T) => V): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const r of rows) {
    const list = out.get(r.model_id) ?? [];
    list.push(map(r));
    out.set(r.model_id, list);
  }
  return out;
}

/** Loads full LoggedModel entities (info with tags, params, metrics) in the given order. */
export async function loadLoggedModels(db: Kysely<Database>, rows: LoggedModelRow[]): Promise<LoggedModel[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.model_id);
  const [tags, params, metrics] = await Promise.all([
    db.selectFrom('logged_model_tags').selectAll().where('model_id', 'in', ids).orderBy('key').execute(),
    db.selectFrom('logged_model_params').selectAll().where('model_id', 'in', ids).orderBy('key').execute(),
    db
      .selectFrom('logged_model_metrics')
      .selectAll()
      .where('model_id', 'in', ids)
      .orderBy('key')
      .orderBy('timestamp')
      .orderBy('step')
      .execute(),
  ]);
  const tagMap = byModel(tags, (r): KeyValue => ({ key: r.key, value: r.value }));
  const paramMap = byModel(params, (r): KeyValue => ({ key: r.key, value: r.value }));
  const metricMap = byModel(metrics, (r): Metric => {
    const m: Metric = {
      key: r.key,
      value: metricJsonValue(r.value, r.is_nan),
      timestamp: r.timestamp,
      step: r.step,
      model_id: r.model_id,
    };
    if (r.run_id) m.run_id = r.run_id;
    if (r.dataset_name) m.dataset_name = r.dataset_name;
    if (r.dataset_digest) m.dataset_digest = r.dataset_digest;
    return m;
  });
  return rows.map((r) => {
    const info: LoggedModel['info'] = {
      model_id: r.model_id,
      experiment_id: String(r.experiment_id),
      name: r.name,
      creation_timestamp_ms: r.creation_time,
      last_updated_timestamp_ms: r.last_update_time,
      artifact_uri: r.artifact_uri,
      status: r.status as LoggedModelStatus,
    };
    if (r.model_type) info.model_type = r.model_type;
    if (r.source_run_id) info.source_run_id = r.source_run_id;
    if (r.status_message) info.status_message = r.status_message;
    if (tagMap.has(r.model_id)) info.tags = tagMap.get(r.model_id);
    const data: LoggedModel['data'] = {};
    if (paramMap.has(r.model_id)) data.params = paramMap.get(r.model_id);
    if (metricMap.has(r.model_id)) data.metrics = metricMap.get(r.model_id);
    return { info, data };
  });
}

export async function upsertLoggedModelKv(
  db: Kysely<Database>,
  table: 'logged_model_params' | 'logged_model_tags',
  modelId: string,
  items: KeyValue[],
): Promise<void> {
  for (const { key, value } of items) {
    await db
      .insertInto(table)
      .values({ model_id: modelId, key, value })
      .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet({ value }))
      .execute();
  }
}

export interface NewLoggedModel {
  modelId: string;
  experimentId: number;
  name: string;
  artifactUri: string;
  modelType: string | null;
  sourceRunId: string | null;
  now: number;
}

/** Inserts an active logged model, pending until finalized. */
export async function insertLoggedModel(db: Kysely<Database>, m: NewLoggedModel): Promise<void> {
  await db
    .insertInto('logged_models')
    .values({
      model_id: m.modelId,
      experiment_id: m.experimentId,
      name: m.name,
      artifact_uri: m.artifactUri,
      status: 'LOGGED_MODEL_PENDING',
      status_message: null,
      model_type: m.modelType,
      source_run_id: m.sourceRunId,
      creation_time: m.now,
      last_update_time: m.now,
      lifecycle_stage: 'active',
    })
    .execute();
}

export async function setLoggedModelStatus(
  db: Kysely<Database>,
  modelId: string,
  status: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('logged_models')
    .set({ status, last_update_time: now })
    .where('model_id', '=', modelId)
    .execute();
}

export async function softDeleteLoggedModel(db: Kysely<Database>, modelId: string, now: number): Promise<void> {
  await db
    .updateTable('logged_models')
    .set({ lifecycle_stage: 'deleted', last_update_time: now })
    .where('model_id', '=', modelId)
    .execute();
}

/** Removes a logged model's tag; whether it had one. */
export async function deleteLoggedModelTag(db: Kysely<Database>, modelId: string, key: string): Promise<boolean> {
  const res = await db
    .deleteFrom('logged_model_tags')
    .where('model_id', '=', modelId)
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Where a logged model's artifacts live, with its stage and workspace (the artifact routes' lookup). */
export function findLoggedModelArtifactRoot(
  db: Kysely<Database>,
  modelId: string,
): Promise<{ artifact_uri: string; lifecycle_stage: string; workspace_id: number } | undefined> {
  return db
    .selectFrom('logged_models')
    .innerJoin('experiments', 'experiments.experiment_id', 'logged_models.experiment_id')
    .select(['logged_models.artifact_uri', 'logged_models.lifecycle_stage', 'experiments.workspace_id'])
    .where('logged_models.model_id', '=', modelId)
    .executeTakeFirst();
}
