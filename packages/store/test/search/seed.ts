import { sql } from 'kysely';
import type { Store } from '../../src/store.ts';

export interface SeedRun {
  name: string;
  experiment?: number;
  user?: string;
  status?: string;
  start: number;
  end?: number | null;
  deleted?: boolean;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  /** NaN is stored the way the store does: is_nan = 1, value 0. */
  metrics?: Record<string, number>;
  /** [dataset name, digest, input tags] */
  inputs?: [string, string, Record<string, string>][];
}

/** The run_uuid for the n-th seeded run: lowercase hex-ish, so `run_id IN` keeps it. */
export function uuidFor(n: number): string {
  return `a${String(n).padStart(31, '0')}`;
}

export async function seedWorkspace(store: Store, id = 1): Promise<void> {
  await store.db
    .insertInto('workspaces')
    .values({ id, name: `ws${id}`, description: null, creation_time: 0, default_experiment_id: null })
    .execute();
}

export async function seedExperiment(store: Store, id: number, workspaceId = 1): Promise<void> {
  await store.db
    .insertInto('experiments')
    .values({
      experiment_id: id,
      workspace_id: workspaceId,
      name: `exp${id}`,
      artifact_location: `/a/${id}`,
      lifecycle_stage: 'active',
      creation_time: id,
      last_update_time: id,
      deleted_time: null,
    })
    .execute();
}

/**
 * Inserts runs in order (one transaction) and returns a map runs.id → run name. On PostgreSQL it
 * then runs ANALYZE, as autovacuum would within a minute of such a load: the planner needs
 * statistics, and these tests query thousands of rows the moment they are written.
 */
export async function seedRuns(store: Store, runs: SeedRun[], firstIndex = 1): Promise<Map<number, string>> {
  const names = await store.db.transaction().execute((trx) => insertRuns({ ...store, db: trx }, runs, firstIndex));
  if (store.ddl.name === 'postgres') await sql`ANALYZE`.execute(store.db);
  return names;
}

async function insertRuns(store: Store, runs: SeedRun[], firstIndex: number): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  const datasetIds = new Map<string, number>();
  for (const [i, r] of runs.entries()) {
    const experimentId = r.experiment ?? 1;
    const { id } = await store.db
      .insertInto('runs')
      .values({
        run_uuid: uuidFor(firstIndex + i),
        experiment_id: experimentId,
        name: r.name,
        user_id: r.user ?? 'nobody',
        status: r.status ?? 'FINISHED',
        start_time: r.start,
        end_time: r.end ?? null,
        artifact_uri: `/a/${experimentId}/${uuidFor(firstIndex + i)}/artifacts`,
        lifecycle_stage: r.deleted ? 'deleted' : 'active',
        deleted_time: r.deleted ? 1 : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    names.set(id, r.name);
    const tags = { 'mlflow.runName': r.name, ...r.tags };
    for (const [key, value] of Object.entries(tags))
      await store.db.insertInto('run_tags').values({ run_id: id, key, value }).execute();
    for (const [key, value] of Object.entries(r.params ?? {}))
      await store.db.insertInto('params').values({ run_id: id, key, value, value_type: 'string' }).execute();
    for (const [key, value] of Object.entries(r.metrics ?? {})) {
      const nan = Number.isNaN(value);
      await store.db
        .insertInto('metric_series')
        .values({
          run_id: id,
          key,
          value: nan ? 0 : value,
          is_nan: nan ? 1 : 0,
          step: 0,
          timestamp: 0,
          min_value: null,
          max_value: null,
          point_count: 1,
        })
        .execute();
    }
    for (const [name, digest, inputTags] of r.inputs ?? []) {
      const dsKey = `${experimentId}/${name}/${digest}`;
      let datasetId = datasetIds.get(dsKey);
      if (datasetId === undefined) {
        const row = await store.db
          .insertInto('datasets')
          .values({
            experiment_id: experimentId,
            name,
            digest,
            source_type: 'local',
            source: '{}',
            schema: null,
            profile: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        datasetId = row.id;
        datasetIds.set(dsKey, datasetId);
      }
      const tagsJson = JSON.stringify(Object.entries(inputTags).map(([key, value]) => ({ key, value })));
      await store.db
        .insertInto('run_inputs')
        .values({ run_id: id, dataset_id: datasetId, tags_json: tagsJson })
        .execute();
    }
  }
  return names;
}
