import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { lockForUpdate } from '../transaction.ts';
import { upsertLoggedModelKv } from './logged-model.repository.ts';
import { type ModelVersionRow, type NewModelVersion, versionsQuery } from './registry.repository.ts';

/** Model versions of the registry and their tags (registered models, aliases and loaders: registry.repository.ts). */

// ---- Model versions -------------------------------------------------------------------------

/** A version that is not (soft-)deleted. */
export function findActiveVersion(
  db: Kysely<Database>,
  modelId: number,
  version: number,
): Promise<ModelVersionRow | undefined> {
  return versionsQuery(db)
    .where('model_versions.model_id', '=', modelId)
    .where('model_versions.version', '=', version)
    .where('model_versions.deleted', '=', 0)
    .executeTakeFirst();
}

/** Whether a version exists and is not (soft-)deleted. */
export async function activeVersionExists(db: Kysely<Database>, modelId: number, version: number): Promise<boolean> {
  const row = await db
    .selectFrom('model_versions')
    .select('version')
    .where('model_id', '=', modelId)
    .where('version', '=', version)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  return row !== undefined;
}

/** A version in whatever state. */
export function findModelVersion(
  db: Kysely<Database>,
  modelId: number,
  version: number,
): Promise<ModelVersionRow | undefined> {
  return versionsQuery(db)
    .where('model_versions.model_id', '=', modelId)
    .where('model_versions.version', '=', version)
    .executeTakeFirst();
}

/** The versions of a model that are not (soft-)deleted, newest first. */
export function activeVersionsNewestFirst(db: Kysely<Database>, modelId: number): Promise<ModelVersionRow[]> {
  return versionsQuery(db)
    .where('model_versions.model_id', '=', modelId)
    .where('model_versions.deleted', '=', 0)
    .orderBy('model_versions.version', 'desc')
    .execute();
}

/** The newest version of a model that is not (soft-)deleted. */
export function findLatestActiveVersion(db: Kysely<Database>, modelId: number): Promise<ModelVersionRow | undefined> {
  return versionsQuery(db)
    .where('model_versions.model_id', '=', modelId)
    .where('model_versions.deleted', '=', 0)
    .orderBy('model_versions.version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Takes the model's next version number and marks the model changed. The counter row stays locked
 * by this UPDATE until the caller's transaction commits: concurrent creates get 1..N exactly once.
 */
export async function nextModelVersionNumber(db: Kysely<Database>, modelId: number, now: number): Promise<number> {
  const counter = await db
    .updateTable('registered_models')
    .set((eb) => ({ next_version: eb('next_version', '+', 1), last_update_time: now }))
    .where('id', '=', modelId)
    .returning('next_version')
    .executeTakeFirstOrThrow();
  return Number(counter.next_version) - 1;
}

export async function insertModelVersion(db: Kysely<Database>, row: NewModelVersion): Promise<void> {
  await db.insertInto('model_versions').values(row).execute();
}

export async function setModelVersionDescription(
  db: Kysely<Database>,
  modelId: number,
  version: number,
  description: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('model_versions')
    .set({ description, last_update_time: now })
    .where('model_id', '=', modelId)
    .where('version', '=', version)
    .execute();
}

export async function setModelVersionStage(
  db: Kysely<Database>,
  modelId: number,
  version: number,
  stage: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('model_versions')
    .set({ current_stage: stage, last_update_time: now })
    .where('model_id', '=', modelId)
    .where('version', '=', version)
    .execute();
}

/** Moves every other live version in `stage` to Archived (`archive_existing_versions`). */
export async function archiveOtherVersionsInStage(
  db: Kysely<Database>,
  modelId: number,
  stage: string,
  keptVersion: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('model_versions')
    .set({ current_stage: 'Archived', last_update_time: now })
    .where('model_id', '=', modelId)
    .where('current_stage', '=', stage)
    .where('version', '!=', keptVersion)
    .where('deleted', '=', 0)
    .execute();
}

/** MLflow's soft delete: the number is kept (never reused), its source redacted, its aliases dropped. */
export async function softDeleteModelVersion(
  db: Kysely<Database>,
  modelId: number,
  version: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('model_versions')
    .set({
      deleted: 1,
      current_stage: 'Deleted_Internal',
      source: 'REDACTED-SOURCE-PATH',
      storage_location: null,
      run_id: null,
      run_link: null,
      last_update_time: now,
    })
    .where('model_id', '=', modelId)
    .where('version', '=', version)
    .execute();
  await db
    .deleteFrom('registered_model_aliases')
    .where('model_id', '=', modelId)
    .where('version', '=', version)
    .execute();
}

// ---- Model version tags ---------------------------------------------------------------------

/** Inserts the tags of a new model version, one row per key. */
export async function insertModelVersionTags(
  db: Kysely<Database>,
  modelId: number,
  version: number,
  tags: ReadonlyMap<string, string>,
): Promise<void> {
  for (const [key, value] of tags)
    await db.insertInto('model_version_tags').values({ model_id: modelId, version, key, value }).execute();
}

export async function upsertModelVersionTag(
  db: Kysely<Database>,
  modelId: number,
  version: number,
  key: string,
  value: string,
): Promise<void> {
  await db
    .insertInto('model_version_tags')
    .values({ model_id: modelId, version, key, value })
    .onConflict((oc) => oc.columns(['model_id', 'version', 'key']).doUpdateSet({ value }))
    .execute();
}

/** Whether a tag was there to delete. */
export async function deleteModelVersionTag(
  db: Kysely<Database>,
  modelId: number,
  version: number,
  key: string,
): Promise<boolean> {
  const res = await db
    .deleteFrom('model_version_tags')
    .where('model_id', '=', modelId)
    .where('version', '=', version)
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/**
 * Appends a registered version to the logged model's `mlflow.modelVersions` tag (a JSON list).
 * Read-modify-write, so the tag row is locked until commit: concurrent registrations append, not
 * overwrite. Call it inside a transaction.
 */
export async function appendLoggedModelVersionTag(
  db: Kysely<Database>,
  loggedModelId: string,
  entry: { name: string; version: string },
): Promise<void> {
  const existing = await db
    .selectFrom('logged_model_tags')
    .select('value')
    .where('model_id', '=', loggedModelId)
    .where('key', '=', 'mlflow.modelVersions')
    .$call(lockForUpdate(db))
    .executeTakeFirst();
  const list = existing ? (JSON.parse(existing.value) as unknown[]) : [];
  list.push(entry);
  await upsertLoggedModelKv(db, 'logged_model_tags', loggedModelId, [
    { key: 'mlflow.modelVersions', value: JSON.stringify(list) },
  ]);
}
