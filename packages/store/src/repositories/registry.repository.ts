import type { KeyValue, ModelVersion, RegisteredModel } from '@trove/protocol';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, ModelVersionTable, RegisteredModelTable } from '../schema.ts';
import { purgeModelReviewData } from './review.repository.ts';

export type RegisteredModelRow = Selectable<RegisteredModelTable>;
export type ModelVersionRow = Selectable<ModelVersionTable> & { name: string };
export type NewRegisteredModel = Insertable<RegisteredModelTable>;
export type NewModelVersion = Insertable<ModelVersionTable>;

export function findRegisteredModel(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
): Promise<RegisteredModelRow | undefined> {
  return db
    .selectFrom('registered_models')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export function versionsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('model_versions')
    .innerJoin('registered_models', 'registered_models.id', 'model_versions.model_id')
    .selectAll('model_versions')
    .select('registered_models.name');
}

/** Full ModelVersion entities (tags, aliases) in the given order. */
export async function loadModelVersions(db: Kysely<Database>, rows: ModelVersionRow[]): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const modelIds = [...new Set(rows.map((r) => r.model_id))];
  const [tags, aliases] = await Promise.all([
    db.selectFrom('model_version_tags').selectAll().where('model_id', 'in', modelIds).orderBy('key').execute(),
    db.selectFrom('registered_model_aliases').selectAll().where('model_id', 'in', modelIds).orderBy('alias').execute(),
  ]);
  const key = (m: number, v: number) => `${m}:${v}`;
  const tagMap = new Map<string, KeyValue[]>();
  for (const t of tags)
    tagMap.set(key(t.model_id, t.version), [
      ...(tagMap.get(key(t.model_id, t.version)) ?? []),
      { key: t.key, value: t.value },
    ]);
  const aliasMap = new Map<string, string[]>();
  for (const a of aliases)
    aliasMap.set(key(a.model_id, a.version), [...(aliasMap.get(key(a.model_id, a.version)) ?? []), a.alias]);
  return rows.map((r) => {
    const mv: ModelVersion = {
      name: r.name,
      version: String(r.version),
      creation_timestamp: r.creation_time,
      last_updated_timestamp: r.last_update_time,
      current_stage: r.current_stage,
      source: r.source,
      status: 'READY',
    };
    if (r.user_id) mv.user_id = r.user_id;
    if (r.description) mv.description = r.description;
    if (r.run_id) mv.run_id = r.run_id;
    if (r.run_link) mv.run_link = r.run_link;
    if (r.status_message) mv.status_message = r.status_message;
    if (r.logged_model_id) mv.model_id = r.logged_model_id;
    const t = tagMap.get(key(r.model_id, r.version));
    if (t) mv.tags = t;
    const a = aliasMap.get(key(r.model_id, r.version));
    if (a) mv.aliases = a;
    return mv;
  });
}

/** The highest live version in each stage that has one (MLflow's `latest_versions`). */
export async function latestVersionsByStage(
  db: Kysely<Database>,
  modelIds: number[],
): Promise<Map<number, ModelVersionRow[]>> {
  const out = new Map<number, ModelVersionRow[]>();
  if (modelIds.length === 0) return out;
  const rows = await versionsQuery(db)
    .where('model_versions.model_id', 'in', modelIds)
    .where('model_versions.deleted', '=', 0)
    .orderBy('model_versions.version', 'desc')
    .execute();
  const seen = new Set<string>();
  for (const r of rows) {
    const k = `${r.model_id}:${r.current_stage}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.set(r.model_id, [...(out.get(r.model_id) ?? []), r]);
  }
  for (const list of out.values()) list.sort((a, b) => a.version - b.version);
  return out;
}

/** Full RegisteredModel entities (latest versions per stage, tags, aliases) in the given order. */
export async function loadRegisteredModels(
  db: Kysely<Database>,
  rows: RegisteredModelRow[],
): Promise<RegisteredModel[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [tags, aliases, latest] = await Promise.all([
    db.selectFrom('registered_model_tags').selectAll().where('model_id', 'in', ids).orderBy('key').execute(),
    db.selectFrom('registered_model_aliases').selectAll().where('model_id', 'in', ids).orderBy('alias').execute(),
    latestVersionsByStage(db, ids),
  ]);
  const latestEntities = new Map<number, ModelVersion[]>();
  for (const [id, list] of latest) latestEntities.set(id, await loadModelVersions(db, list));
  return rows.map((r) => {
    const rm: RegisteredModel = {
      name: r.name,
      creation_timestamp: r.creation_time,
      last_updated_timestamp: r.last_update_time,
    };
    if (r.user_id) rm.user_id = r.user_id;
    if (r.description) rm.description = r.description;
    const lv = latestEntities.get(r.id);
    if (lv && lv.length > 0) rm.latest_versions = lv;
    const t = tags.filter((x) => x.model_id === r.id).map((x) => ({ key: x.key, value: x.value }));
    if (t.length > 0) rm.tags = t;
    const a = aliases.filter((x) => x.model_id === r.id).map((x) => ({ alias: x.alias, version: String(x.version) }));
    if (a.length > 0) rm.aliases = a;
    return rm;
  });
}

// ---- Registered models ----------------------------------------------------------------------

/** Inserts a registered model and returns its id. */
export async function insertRegisteredModel(db: Kysely<Database>, row: NewRegisteredModel): Promise<number> {
  const inserted = await db.insertInto('registered_models').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** The name of a registered model by id, if it still exists. */
export async function findRegisteredModelName(db: Kysely<Database>, modelId: number): Promise<string | undefined> {
  return (await db.selectFrom('registered_models').select('name').where('id', '=', modelId).executeTakeFirst())?.name;
}

export async function renameRegisteredModel(
  db: Kysely<Database>,
  modelId: number,
  newName: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('registered_models')
    .set({ name: newName, last_update_time: now })
    .where('id', '=', modelId)
    .execute();
}

export async function setRegisteredModelDescription(
  db: Kysely<Database>,
  modelId: number,
  description: string | null,
  now: number,
): Promise<void> {
  await db
    .updateTable('registered_models')
    .set({ description, last_update_time: now })
    .where('id', '=', modelId)
    .execute();
}

/** Marks a registered model as changed now (a version, alias or stage of it changed). */
export async function touchRegisteredModel(db: Kysely<Database>, modelId: number, now: number): Promise<void> {
  await db.updateTable('registered_models').set({ last_update_time: now }).where('id', '=', modelId).execute();
}

/** Hard delete: the model with its tags, aliases, versions (and their tags) and its review data. */
export async function deleteRegisteredModel(db: Kysely<Database>, modelId: number): Promise<void> {
  for (const table of [
    'registered_model_tags',
    'registered_model_aliases',
    'model_version_tags',
    'model_versions',
  ] as const)
    await db.deleteFrom(table).where('model_id', '=', modelId).execute();
  await purgeModelReviewData(db, modelId);
  await db.deleteFrom('registered_models').where('id', '=', modelId).execute();
}

// ---- Registered model tags ------------------------------------------------------------------

/** One tag value of a registered model, if set. */
export async function findRegisteredModelTag(
  db: Kysely<Database>,
  modelId: number,
  key: string,
): Promise<string | undefined> {
  return (
    await db
      .selectFrom('registered_model_tags')
      .select('value')
      .where('model_id', '=', modelId)
      .where('key', '=', key)
      .executeTakeFirst()
  )?.value;
}

/** Inserts the tags of a new registered model, one row per key. */
export async function insertRegisteredModelTags(
  db: Kysely<Database>,
  modelId: number,
  tags: ReadonlyMap<string, string>,
): Promise<void> {
  for (const [key, value] of tags)
    await db.insertInto('registered_model_tags').values({ model_id: modelId, key, value }).execute();
}

export async function upsertRegisteredModelTag(
  db: Kysely<Database>,
  modelId: number,
  key: string,
  value: string,
): Promise<void> {
  await db
    .insertInto('registered_model_tags')
    .values({ model_id: modelId, key, value })
    .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet({ value }))
    .execute();
}

/** Whether a tag was there to delete. */
export async function deleteRegisteredModelTag(db: Kysely<Database>, modelId: number, key: string): Promise<boolean> {
  const res = await db
    .deleteFrom('registered_model_tags')
    .where('model_id', '=', modelId)
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

// ---- Aliases --------------------------------------------------------------------------------

/** The version an alias points to, if the alias exists. */
export async function findAliasVersion(
  db: Kysely<Database>,
  modelId: number,
  alias: string,
): Promise<number | undefined> {
  return (
    await db
      .selectFrom('registered_model_aliases')
      .select('version')
      .where('model_id', '=', modelId)
      .where('alias', '=', alias)
      .executeTakeFirst()
  )?.version;
}

export async function upsertRegisteredModelAlias(
  db: Kysely<Database>,
  modelId: number,
  alias: string,
  version: number,
): Promise<void> {
  await db
    .insertInto('registered_model_aliases')
    .values({ model_id: modelId, alias, version })
    .onConflict((oc) => oc.columns(['model_id', 'alias']).doUpdateSet({ version }))
    .execute();
}

/** Whether the alias was there to delete. */
export async function deleteRegisteredModelAlias(
  db: Kysely<Database>,
  modelId: number,
  alias: string,
): Promise<boolean> {
  const res = await db
    .deleteFrom('registered_model_aliases')
    .where('model_id', '=', modelId)
    .where('alias', '=', alias)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
