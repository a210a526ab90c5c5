import type { ImportCounts, ImportLoggedModel } from '@trove/protocol';
import { type Kysely, sql } from 'kysely';
import { storedValue } from '../metrics/metric-point.ts';
import { ddlOf } from '../migrator.ts';
import type { Database } from '../schema.ts';

/** Writes for `trove import`: rows that keep the source's ids and times, which the services never choose. */

export interface ImportedExperiment {
  experimentId: number;
  workspaceId: number;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
  creationTime: number;
  lastUpdateTime: number;
  deletedTime: number | null;
}

export async function insertImportedExperiment(db: Kysely<Database>, e: ImportedExperiment): Promise<void> {
  await db
    .insertInto('experiments')
    .values({
      experiment_id: e.experimentId,
      workspace_id: e.workspaceId,
      name: e.name,
      artifact_location: e.artifactLocation,
      lifecycle_stage: e.lifecycleStage,
      creation_time: e.creationTime,
      last_update_time: e.lastUpdateTime,
      deleted_time: e.deletedTime,
    })
    .execute();
}

/** Sets experiment tags, replacing values of keys already there (the Default experiment's own tags stay). */
export async function upsertExperimentTags(
  db: Kysely<Database>,
  experimentId: number,
  tags: readonly { key: string; value: string }[],
): Promise<void> {
  for (const t of tags)
    await db
      .insertInto('experiment_tags')
      .values({ experiment_id: experimentId, key: t.key, value: t.value })
      .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value: t.value }))
      .execute();
}

export interface ImportedRun {
  runUuid: string;
  experimentId: number;
  name: string;
  userId: string;
  status: string;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: string;
  deletedTime: number | null;
}

/** Inserts a run as the source had it (status, times, lifecycle); its internal id. */
export async function insertImportedRun(db: Kysely<Database>, r: ImportedRun): Promise<number> {
  const row = await db
    .insertInto('runs')
    .values({
      run_uuid: r.runUuid,
      experiment_id: r.experimentId,
      name: r.name,
      user_id: r.userId,
      status: r.status,
      start_time: r.startTime,
      end_time: r.endTime,
      artifact_uri: r.artifactUri,
      lifecycle_stage: r.lifecycleStage,
      deleted_time: r.deletedTime,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/**
 * After rows were inserted with chosen ids: PostgreSQL's identity sequence does not see them, so the
 * next generated experiment id would collide. SQLite's AUTOINCREMENT already counts from the largest.
 */
export async function syncExperimentIdSequence(db: Kysely<Database>): Promise<void> {
  if (ddlOf(db).name !== 'postgres') return;
  await sql`SELECT setval(pg_get_serial_sequence('experiments', 'experiment_id'),
    GREATEST((SELECT max(experiment_id) FROM experiments), 1))`.execute(db);
}

/** What one run holds in Trove, for the import's verification and its idempotence check. */
export async function importedRunCounts(
  db: Kysely<Database>,
  runId: number,
): Promise<Pick<ImportCounts, 'params' | 'tags' | 'metricPoints' | 'datasetInputs' | 'modelEdges'>> {
  const [params, tags, points, inputs, edges] = await Promise.all([
    db
      .selectFrom('params')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('run_id', '=', runId)
      .executeTakeFirst(),
    db
      .selectFrom('run_tags')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('run_id', '=', runId)
      .executeTakeFirst(),
    db
      .selectFrom('metric_series')
      .select((eb) => eb.fn.sum<number>('point_count').as('n'))
      .where('run_id', '=', runId)
      .executeTakeFirst(),
    db
      .selectFrom('run_inputs')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('run_id', '=', runId)
      .executeTakeFirst(),
    db
      .selectFrom('run_model_edges')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('run_id', '=', runId)
      .executeTakeFirst(),
  ]);
  return {
    params: Number(params?.n ?? 0),
    tags: Number(tags?.n ?? 0),
    metricPoints: Number(points?.n ?? 0),
    datasetInputs: Number(inputs?.n ?? 0),
    modelEdges: Number(edges?.n ?? 0),
  };
}

export interface ImportedModelSummary {
  versions: { version: number; source: string; run_id: string | null; deleted: number }[];
  aliases: number;
  tags: number;
}

/** A registered model's versions (deleted ones too), alias and tag counts: what an import compares. */
export async function importedModelSummary(db: Kysely<Database>, modelId: number): Promise<ImportedModelSummary> {
  const [versions, aliases, tags] = await Promise.all([
    db
      .selectFrom('model_versions')
      .select(['version', 'source', 'run_id', 'deleted'])
      .where('model_id', '=', modelId)
      .orderBy('version')
      .execute(),
    db
      .selectFrom('registered_model_aliases')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('model_id', '=', modelId)
      .executeTakeFirst(),
    db
      .selectFrom('registered_model_tags')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('model_id', '=', modelId)
      .executeTakeFirst(),
  ]);
  return {
    versions: versions.map((v) => ({ ...v, version: Number(v.version), deleted: Number(v.deleted) })),
    aliases: Number(aliases?.n ?? 0),
    tags: Number(tags?.n ?? 0),
  };
}

/**
 * Inserts an MLflow 3 logged model as the source had it (its `m-…` id, status, times) with its
 * params, tags and metric points, under `artifactUri`.
 */
export async function insertImportedLoggedModel(
  db: Kysely<Database>,
  m: ImportLoggedModel,
  experimentId: number,
  artifactUri: string,
): Promise<void> {
  await db
    .insertInto('logged_models')
    .values({
      model_id: m.model_id,
      experiment_id: experimentId,
      name: m.name,
      artifact_uri: artifactUri,
      status: m.status,
      status_message: m.status_message ?? null,
      model_type: m.model_type ?? null,
      source_run_id: m.source_run_id ?? null,
      creation_time: m.creation_time,
      last_update_time: m.last_update_time,
      lifecycle_stage: 'active',
    })
    .execute();
  for (const [table, items] of [
    ['logged_model_params', m.params],
    ['logged_model_tags', m.tags],
  ] as const)
    for (const kv of items)
      await db.insertInto(table).values({ model_id: m.model_id, key: kv.key, value: kv.value }).execute();
  for (const p of m.metrics) {
    const { value, isNan } = storedValue(p.value);
    await db
      .insertInto('logged_model_metrics')
      .values({
        model_id: m.model_id,
        key: p.key,
        value,
        is_nan: isNan,
        timestamp: p.timestamp,
        step: p.step,
        run_id: p.run_id ?? null,
        dataset_name: p.dataset_name ?? null,
        dataset_digest: p.dataset_digest ?? null,
      })
      .execute();
  }
}

/** Removes a logged model's rows entirely (a half-written import of it, before it is written again). */
export async function purgeLoggedModel(db: Kysely<Database>, modelId: string): Promise<void> {
  for (const table of ['logged_model_metrics', 'logged_model_params', 'logged_model_tags', 'logged_models'] as const)
    await db.deleteFrom(table).where('model_id', '=', modelId).execute();
}

/** What one logged model holds in Trove, for the import's verification and its idempotence check. */
export async function importedLoggedModelCounts(
  db: Kysely<Database>,
  modelId: string,
): Promise<Pick<ImportCounts, 'loggedModelParams' | 'loggedModelTags' | 'loggedModelMetrics'>> {
  const count = (table: 'logged_model_params' | 'logged_model_tags' | 'logged_model_metrics') =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where('model_id', '=', modelId)
      .executeTakeFirst()
      .then((r) => Number(r?.n ?? 0));
  const [params, tags, metrics] = await Promise.all([
    count('logged_model_params'),
    count('logged_model_tags'),
    count('logged_model_metrics'),
  ]);
  return { loggedModelParams: params, loggedModelTags: tags, loggedModelMetrics: metrics };
}
