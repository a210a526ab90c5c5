import type { KeyValue, ModelVersion, RegisteredModel } from '@trove/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Database, ModelVersionTable, RegisteredModelTable } from '../schema.ts';

export type RegisteredModelRow = Selectable<RegisteredModelTable>;
export type ModelVersionRow = Selectable<ModelVersionTable> & { name: string };

export function findRegisteredModel(db: Kysely<Database>, workspaceId: number, name: string): Promise<RegisteredModelRow | undefined> {
  return db.selectFrom('registered_models').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
}

export function versionsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('model_versions')
    .innerJoin('registered_models', 'registered_models.id', 'model_versions.model_id')
    .selectAll('model_versions')
    .select('registered_models.name');
}

export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;

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
  for (const t of tags) tagMap.set(key(t.model_id, t.version), [...(tagMap.get(key(t.model_id, t.version)) ?? []), { key: t.key, value: t.value }]);
  const aliasMap = new Map<string, string[]>();
  for (const a of aliases) aliasMap.set(key(a.model_id, a.version), [...(aliasMap.get(key(a.model_id, a.version)) ?? []), a.alias]);
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
export async function latestVersionsByStage(db: Kysely<Database>, modelIds: number[]): Promise<Map<number, ModelVersionRow[]>> {
  const out = new Map<number, ModelVersionRow[]>();
  if (modelIds.length === 0) return out;
  const rows = await versionsQuery(db).where('model_versions.model_id', 'in', modelIds).where('model_versions.deleted', '=', 0).orderBy('model_versions.version', 'desc').execute();
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
export async function loadRegisteredModels(db: Kysely<Database>, rows: RegisteredModelRow[]): Promise<RegisteredModel[]> {
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
    const rm: RegisteredModel = { name: r.name, creation_timestamp: r.creation_time, last_updated_timestamp: r.last_update_time };
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
