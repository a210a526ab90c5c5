import type { Experiment } from '@trove/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Database, ExperimentTable } from '../schema.ts';

export type ExperimentRow = Selectable<ExperimentTable>;

export function findExperiment(db: Kysely<Database>, id: number): Promise<ExperimentRow | undefined> {
  return db.selectFrom('experiments').selectAll().where('experiment_id', '=', id).executeTakeFirst();
}

export function findExperimentByName(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
): Promise<ExperimentRow | undefined> {
  return db
    .selectFrom('experiments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function experimentTags(
  db: Kysely<Database>,
  ids: number[],
): Promise<Map<number, { key: string; value: string }[]>> {
  const out = new Map<number, { key: string; value: string }[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('experiment_tags')
    .select(['experiment_id', 'key', 'value'])
    .where('experiment_id', 'in', ids)
    .orderBy('key')
    .execute();
  for (const r of rows) {
    const list = out.get(r.experiment_id) ?? [];
    list.push({ key: r.key, value: r.value });
    out.set(r.experiment_id, list);
  }
  return out;
}

export function toExperiment(row: ExperimentRow, tags: { key: string; value: string }[] | undefined): Experiment {
  const e: Experiment = {
    experiment_id: String(row.experiment_id),
    name: row.name,
    artifact_location: row.artifact_location,
    lifecycle_stage: row.lifecycle_stage as Experiment['lifecycle_stage'],
    last_update_time: row.last_update_time,
    creation_time: row.creation_time,
  };
  if (tags && tags.length > 0) e.tags = tags;
  return e;
}

export async function loadExperiments(db: Kysely<Database>, rows: ExperimentRow[]): Promise<Experiment[]> {
  const tags = await experimentTags(
    db,
    rows.map((r) => r.experiment_id),
  );
  return rows.map((r) => toExperiment(r, tags.get(r.experiment_id)));
}

/** The rows of the given experiments, in the order of `ids` (ids with no row are left out). */
export async function findExperimentsInOrder(db: Kysely<Database>, ids: number[]): Promise<ExperimentRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('experiments').selectAll().where('experiment_id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.experiment_id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is ExperimentRow => r !== undefined);
}

/** The workspace an experiment belongs to, or `undefined` when there is no such experiment. */
export async function findExperimentWorkspaceId(db: Kysely<Database>, id: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('experiments')
    .select('workspace_id')
    .where('experiment_id', '=', id)
    .executeTakeFirst();
  return row ? Number(row.workspace_id) : undefined;
}

export interface NewExperiment {
  workspaceId: number;
  name: string;
  artifactLocation: string;
  now: number;
  /** A chosen id (a workspace's first experiment, MLflow's "0"); generated when left out. */
  experimentId?: number;
}

/** Inserts an active experiment; its id. */
export async function insertExperiment(db: Kysely<Database>, e: NewExperiment): Promise<number> {
  const values = {
    workspace_id: e.workspaceId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: 'active',
    creation_time: e.now,
    last_update_time: e.now,
    deleted_time: null,
  };
  if (e.experimentId !== undefined) {
    await db
      .insertInto('experiments')
      .values({ experiment_id: e.experimentId, ...values })
      .execute();
    return e.experimentId;
  }
  const row = await db.insertInto('experiments').values(values).returning('experiment_id').executeTakeFirstOrThrow();
  return Number(row.experiment_id);
}

export async function setExperimentArtifactLocation(db: Kysely<Database>, id: number, location: string): Promise<void> {
  await db.updateTable('experiments').set({ artifact_location: location }).where('experiment_id', '=', id).execute();
}

/** Adds tags to a new experiment (keys unique, none there yet). */
export async function insertExperimentTags(
  db: Kysely<Database>,
  id: number,
  tags: readonly { key: string; value: string }[],
): Promise<void> {
  if (tags.length === 0) return;
  await db
    .insertInto('experiment_tags')
    .values(tags.map(({ key, value }) => ({ experiment_id: id, key, value })))
    .execute();
}

/** Sets an experiment's tag, replacing the value it had. */
export async function upsertExperimentTag(db: Kysely<Database>, id: number, key: string, value: string): Promise<void> {
  await db
    .insertInto('experiment_tags')
    .values({ experiment_id: id, key, value })
    .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value }))
    .execute();
}

/** Removes an experiment's tag; whether it had one. */
export async function deleteExperimentTag(db: Kysely<Database>, id: number, key: string): Promise<boolean> {
  const res = await db
    .deleteFrom('experiment_tags')
    .where('experiment_id', '=', id)
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function renameExperiment(db: Kysely<Database>, id: number, name: string, now: number): Promise<void> {
  await db.updateTable('experiments').set({ name, last_update_time: now }).where('experiment_id', '=', id).execute();
}

/**
 * Marks an experiment and its active runs deleted at `now` (its runs already deleted keep their
 * time). Two statements: run it inside a transaction.
 */
export async function softDeleteExperimentWithRuns(db: Kysely<Database>, id: number, now: number): Promise<void> {
  await db
    .updateTable('experiments')
    .set({ lifecycle_stage: 'deleted', last_update_time: now, deleted_time: now })
    .where('experiment_id', '=', id)
    .execute();
  await db
    .updateTable('runs')
    .set({ lifecycle_stage: 'deleted', deleted_time: now })
    .where('experiment_id', '=', id)
    .where('lifecycle_stage', '=', 'active')
    .execute();
}

/** Makes a deleted experiment and all its runs active again. Two statements: run it inside a transaction. */
export async function restoreExperimentWithRuns(db: Kysely<Database>, id: number, now: number): Promise<void> {
  await db
    .updateTable('experiments')
    .set({ lifecycle_stage: 'active', last_update_time: now, deleted_time: null })
    .where('experiment_id', '=', id)
    .execute();
  await db
    .updateTable('runs')
    .set({ lifecycle_stage: 'active', deleted_time: null })
    .where('experiment_id', '=', id)
    .execute();
}
