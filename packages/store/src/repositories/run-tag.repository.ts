import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';

/** A run tag key with how many active runs carry it and how many distinct values they hold. */
export interface RunTagKeyCount {
  key: string;
  run_count: number;
  value_count: number;
}

function toRunTagKeyCount(row: {
  key: string;
  run_count: number | bigint | string;
  value_count: number | bigint | string;
}): RunTagKeyCount {
  return { key: row.key, run_count: Number(row.run_count), value_count: Number(row.value_count) };
}

/** The ids of an experiment's runs (active and deleted), as a subquery. */
const runsOf = (db: Kysely<Database>, experimentId: number) =>
  db.selectFrom('runs').select('id').where('experiment_id', '=', experimentId);

/**
 * Every tag key over the active runs of one experiment, or of every experiment in a workspace,
 * by key, with its run and distinct-value counts.
 */
export async function countRunTagKeys(
  db: Kysely<Database>,
  scope: { experimentId: number } | { workspaceId: number },
): Promise<RunTagKeyCount[]> {
  let q = db
    .selectFrom('run_tags')
    .innerJoin('runs', 'runs.id', 'run_tags.run_id')
    .select([
      'run_tags.key',
      sql<number>`COUNT(*)`.as('run_count'),
      sql<number>`COUNT(DISTINCT run_tags.value)`.as('value_count'),
    ])
    .where('runs.lifecycle_stage', '=', 'active')
    .groupBy('run_tags.key')
    .orderBy('run_tags.key');
  if ('experimentId' in scope) {
    q = q.where('runs.experiment_id', '=', scope.experimentId);
  } else {
    q = q.where(
      'runs.experiment_id',
      'in',
      db.selectFrom('experiments').select('experiment_id').where('workspace_id', '=', scope.workspaceId),
    );
  }
  return (await q.execute()).map(toRunTagKeyCount);
}

/**
 * The MLflow ids of the experiment's runs that hold both `key` and `newKey` with different
 * values, in id order, at most `limit` of them.
 */
export async function findTagRenameClashes(
  db: Kysely<Database>,
  experimentId: number,
  key: string,
  newKey: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('run_tags as a')
    .innerJoin('run_tags as b', (j) => j.onRef('b.run_id', '=', 'a.run_id').on('b.key', '=', newKey))
    .innerJoin('runs', 'runs.id', 'a.run_id')
    .select('runs.run_uuid')
    .where('a.key', '=', key)
    .where('runs.experiment_id', '=', experimentId)
    .whereRef('a.value', '<>', 'b.value')
    .orderBy('runs.run_uuid')
    .limit(limit)
    .execute();
  return rows.map((r) => r.run_uuid);
}

/** How many of the experiment's runs (active and deleted) hold tag `key`. */
export async function countExperimentRunsWithTag(
  db: Kysely<Database>,
  experimentId: number,
  key: string,
): Promise<number> {
  const row = await db
    .selectFrom('run_tags')
    .select(sql<number>`COUNT(*)`.as('n'))
    .where('key', '=', key)
    .where('run_id', 'in', runsOf(db, experimentId))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Renames tag `key` to `newKey` on every run of the experiment; a run already holding `newKey`
 * keeps that tag and loses `key` (the caller has checked their values agree). Run it inside a
 * transaction: it is two statements.
 */
export async function renameExperimentRunTag(
  db: Kysely<Database>,
  experimentId: number,
  key: string,
  newKey: string,
): Promise<void> {
  await db
    .deleteFrom('run_tags')
    .where('key', '=', key)
    .where('run_id', 'in', runsOf(db, experimentId))
    .where('run_id', 'in', db.selectFrom('run_tags').select('run_id').where('key', '=', newKey))
    .execute();
  await db
    .updateTable('run_tags')
    .set({ key: newKey })
    .where('key', '=', key)
    .where('run_id', 'in', runsOf(db, experimentId))
    .execute();
}

/** Deletes tag `key` from every run of the experiment; how many runs lost it. */
export async function deleteExperimentRunTag(db: Kysely<Database>, experimentId: number, key: string): Promise<number> {
  const res = await db
    .deleteFrom('run_tags')
    .where('key', '=', key)
    .where('run_id', 'in', runsOf(db, experimentId))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

const BATCH = 500;

/** Sets `key=value` on each run (internal ids), replacing the value a run already had. */
export async function upsertRunTagOnRuns(
  db: Kysely<Database>,
  runIds: readonly number[],
  key: string,
  value: string,
): Promise<void> {
  for (let i = 0; i < runIds.length; i += BATCH) {
    await db
      .insertInto('run_tags')
      .values(runIds.slice(i, i + BATCH).map((id) => ({ run_id: id, key, value })))
      .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value }))
      .execute();
  }
}
