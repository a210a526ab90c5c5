import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';

/** Reads behind a model version's history: the other children of its run's parent (a sweep). */

const PARENT_TAG = 'mlflow.parentRunId';

/** Active runs of the workspace tagged as children of `parentUuid` (uses the run_tags (key, value) index). */
function children(db: Kysely<Database>, workspaceId: number, parentUuid: string) {
  return db
    .selectFrom('run_tags')
    .innerJoin('runs', 'runs.id', 'run_tags.run_id')
    .innerJoin('experiments', 'experiments.experiment_id', 'runs.experiment_id')
    .where('run_tags.key', '=', PARENT_TAG)
    .where('run_tags.value', '=', parentUuid)
    .where('runs.lifecycle_stage', '=', 'active')
    .where('experiments.workspace_id', '=', workspaceId);
}

export interface ChildRunRow {
  id: number;
  run_uuid: string;
  name: string;
  experiment_id: number;
}

export function listChildRuns(db: Kysely<Database>, workspaceId: number, parentUuid: string): Promise<ChildRunRow[]> {
  return children(db, workspaceId, parentUuid)
    .select(['runs.id', 'runs.run_uuid', 'runs.name', 'runs.experiment_id'])
    .orderBy('runs.id')
    .execute();
}

/** Metric keys the children logged, with how many children logged each. */
export async function countChildMetricKeys(
  db: Kysely<Database>,
  workspaceId: number,
  parentUuid: string,
): Promise<{ key: string; runs: number }[]> {
  const rows = await db
    .selectFrom('metric_series')
    .select(['key', sql<string | number>`COUNT(*)`.as('runs')])
    .where('run_id', 'in', children(db, workspaceId, parentUuid).select('runs.id'))
    .groupBy('key')
    .execute();
  return rows.map((r) => ({ key: r.key, runs: Number(r.runs) }));
}

/** Each child's latest value of one metric. */
export function childMetricValues(
  db: Kysely<Database>,
  workspaceId: number,
  parentUuid: string,
  key: string,
): Promise<{ run_id: number; value: number; is_nan: number }[]> {
  return db
    .selectFrom('metric_series')
    .select(['run_id', 'value', 'is_nan'])
    .where('key', '=', key)
    .where('run_id', 'in', children(db, workspaceId, parentUuid).select('runs.id'))
    .execute();
}
