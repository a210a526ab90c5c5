import type { ImportCounts } from '@trove/protocol';
import { type Kysely, sql } from 'kysely';
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
): Promise<Pick<ImportCounts, 'params' | 'tags' | 'metricPoints' | 'datasetInputs'>> {
  const [params, tags, points, inputs] = await Promise.all([
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
  ]);
  return {
    params: Number(params?.n ?? 0),
    tags: Number(tags?.n ?? 0),
    metricPoints: Number(points?.n ?? 0),
    datasetInputs: Number(inputs?.n ?? 0),
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
