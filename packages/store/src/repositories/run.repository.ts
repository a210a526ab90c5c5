import type { DatasetInput, KeyValue, Metric, Run, RunInfo, RunStatus } from '@trove/protocol';
import { CompiledQuery, type Kysely, type Selectable, sql } from 'kysely';
import { prepared } from '../postgres-prepared.ts';
import type { Database, RunTable } from '../schema.ts';
import { lockForUpdate } from '../transaction.ts';
import type { DatasetValues } from './run-io.repository.ts';

export type RunRow = Selectable<RunTable> & { workspace_id: number };

/** Looks a run up by its MLflow id, with the workspace of its experiment. */
export function findRunByUuid(db: Kysely<Database>, runUuid: string): Promise<RunRow | undefined> {
  return db
    .selectFrom('runs')
    .innerJoin('experiments', 'experiments.experiment_id', 'runs.experiment_id')
    .selectAll('runs')
    .select('experiments.workspace_id')
    .where('runs.run_uuid', '=', runUuid)
    .executeTakeFirst();
}

const RUN_BY_UUID =
  'SELECT runs.*, experiments.workspace_id FROM runs INNER JOIN experiments ON experiments.experiment_id = runs.experiment_id WHERE runs.run_uuid = ';

/**
 * `findRunByUuid` for the store: every write request starts with this lookup, so it is one
 * prepared statement (on PostgreSQL a named one per connection) instead of a Kysely query
 * compiled, parsed and planned per call.
 */
export function createRunLookup(store: {
  db: Kysely<Database>;
  sqlite?: import('better-sqlite3').Database;
}): (runUuid: string) => Promise<RunRow | undefined> {
  const raw = store.sqlite;
  if (!raw) {
    const text = prepared(`${RUN_BY_UUID}$1`);
    return async (runUuid) => (await store.db.executeQuery<RunRow>(CompiledQuery.raw(text, [runUuid]))).rows[0];
  }
  const statement = raw.prepare<[string], RunRow>(`${RUN_BY_UUID}?`);
  return async (runUuid) => statement.get(runUuid);
}

export function toRunInfo(row: Selectable<RunTable>): RunInfo {
  const info: RunInfo = {
    run_id: row.run_uuid,
    run_uuid: row.run_uuid,
    run_name: row.name,
    experiment_id: String(row.experiment_id),
    user_id: row.user_id,
    status: row.status as RunStatus,
    start_time: row.start_time,
    artifact_uri: row.artifact_uri,
    lifecycle_stage: row.lifecycle_stage as RunInfo['lifecycle_stage'],
  };
  if (row.end_time !== null) info.end_time = row.end_time;
  return info;
}

const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

function group<T extends { run_id: number }, V>(rows: T[], map: (r: T) => V, into: Map<number, V[]>): void {
  for (const r of rows) {
    let list = into.get(r.run_id);
    if (!list) {
      list = [];
      into.set(r.run_id, list);
    }
    list.push(map(r));
  }
}

/** An int64 read as text: a number when exact, else a BigInt. */
export function int64FromText(text: string | number | bigint): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** The JSON value MLflow writes for a stored metric value. */
export function metricJsonValue(value: number, isNan: number): Metric['value'] {
  return isNan ? 'NaN' : value;
}

/** Loads full Run entities (info, latest metrics, params, tags, inputs, outputs) for the given ids, in order. */
export async function loadRuns(db: Kysely<Database>, ids: number[]): Promise<Run[]> {
  const rowsById = new Map<number, Selectable<RunTable>>();
  const params = new Map<number, KeyValue[]>();
  const tags = new Map<number, KeyValue[]>();
  const metrics = new Map<number, Metric[]>();
  const inputs = new Map<number, DatasetInput[]>();
  const modelInputs = new Map<number, { model_id: string }[]>();
  const modelOutputs = new Map<number, { model_id: string; step: number }[]>();
  for (const part of chunks(ids)) {
    const [runs, p, t, m, i, e] = await Promise.all([
      db.selectFrom('runs').selectAll().where('id', 'in', part).execute(),
      db
        .selectFrom('params')
        .select(['run_id', 'key', 'value'])
        .where('run_id', 'in', part)
        .orderBy('run_id')
        .orderBy('key')
        .execute(),
      db
        .selectFrom('run_tags')
        .select(['run_id', 'key', 'value'])
        .where('run_id', 'in', part)
        .orderBy('run_id')
        .orderBy('key')
        .execute(),
      // step/timestamp as text: the driver would round int64 values above 2^53.
      db
        .selectFrom('metric_series')
        .select([
          'run_id',
          'key',
          'value',
          'is_nan',
          sql<string>`CAST(step AS TEXT)`.as('step'),
          sql<string>`CAST(timestamp AS TEXT)`.as('timestamp'),
        ])
        .where('run_id', 'in', part)
        .orderBy('run_id')
        .orderBy('key')
        .execute(),
      db
        .selectFrom('run_inputs')
        .innerJoin('datasets', 'datasets.id', 'run_inputs.dataset_id')
        .select([
          'run_inputs.run_id',
          'run_inputs.tags_json',
          'datasets.name',
          'datasets.digest',
          'datasets.source_type',
          'datasets.source',
          'datasets.schema',
          'datasets.profile',
        ])
        .where('run_inputs.run_id', 'in', part)
        .orderBy('run_inputs.run_id')
        .orderBy('datasets.id')
        .execute(),
      db
        .selectFrom('run_model_edges')
        .selectAll()
        .where('run_id', 'in', part)
        .orderBy('run_id')
        .orderBy('step')
        .execute(),
    ]);
    for (const r of runs) rowsById.set(r.id, r);
    group(p, (r) => ({ key: r.key, value: r.value }), params);
    group(t, (r) => ({ key: r.key, value: r.value }), tags);
    group(
      m,
      (r) => ({
        key: r.key,
        value: metricJsonValue(r.value, r.is_nan),
        timestamp: int64FromText(r.timestamp),
        step: int64FromText(r.step),
      }),
      metrics,
    );
    group(i, (r) => toDatasetInput(r), inputs);
    group(
      e.filter((x) => x.direction === 'input'),
      (r) => ({ model_id: r.model_id }),
      modelInputs,
    );
    group(
      e.filter((x) => x.direction === 'output'),
      (r) => ({ model_id: r.model_id, step: r.step }),
      modelOutputs,
    );
  }
  const out: Run[] = [];
  for (const id of ids) {
    const row = rowsById.get(id);
    if (!row) continue;
    const data: Run['data'] = {};
    if (metrics.has(id)) data.metrics = metrics.get(id);
    if (params.has(id)) data.params = params.get(id);
    if (tags.has(id)) data.tags = tags.get(id);
    const run: Run = { info: toRunInfo(row), data, inputs: {}, outputs: {} };
    if (inputs.has(id)) run.inputs = { dataset_inputs: inputs.get(id) };
    if (modelInputs.has(id)) run.inputs = { ...run.inputs, model_inputs: modelInputs.get(id) };
    if (modelOutputs.has(id)) run.outputs = { model_outputs: modelOutputs.get(id) };
    out.push(run);
  }
  return out;
}

function toDatasetInput(r: DatasetValues & { tags_json: string }): DatasetInput {
  const dataset: DatasetInput['dataset'] = {
    name: r.name,
    digest: r.digest,
    source_type: r.source_type,
    source: r.source,
  };
  if (r.schema !== null) dataset.schema = r.schema;
  if (r.profile !== null) dataset.profile = r.profile;
  const tags = JSON.parse(r.tags_json) as KeyValue[];
  return tags.length > 0 ? { tags, dataset } : { dataset };
}

/** A run as a bulk request names it: its ids, experiment and stage. */
export interface RunRef {
  id: number;
  run_uuid: string;
  experiment_id: number;
  lifecycle_stage: string;
}

/** The runs among `runUuids` that belong to the workspace's experiments (the others are left out). */
export function findWorkspaceRunsByUuid(
  db: Kysely<Database>,
  workspaceId: number,
  runUuids: string[],
): Promise<RunRef[]> {
  return db
    .selectFrom('runs')
    .innerJoin('experiments', 'experiments.experiment_id', 'runs.experiment_id')
    .select(['runs.id', 'runs.run_uuid', 'runs.experiment_id', 'runs.lifecycle_stage'])
    .where('runs.run_uuid', 'in', runUuids)
    .where('experiments.workspace_id', '=', workspaceId)
    .execute();
}

/** A run's row by its internal id; throws when there is none. */
export function getRunRowById(db: Kysely<Database>, id: number): Promise<Selectable<RunTable>> {
  return db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export interface NewRun {
  runUuid: string;
  experimentId: number;
  name: string;
  userId: string;
  startTime: number;
  artifactUri: string;
}

/** Inserts a RUNNING, active run; its internal id. */
export async function insertRun(db: Kysely<Database>, r: NewRun): Promise<number> {
  const row = await db
    .insertInto('runs')
    .values({
      run_uuid: r.runUuid,
      experiment_id: r.experimentId,
      name: r.name,
      user_id: r.userId,
      status: 'RUNNING',
      start_time: r.startTime,
      end_time: null,
      artifact_uri: r.artifactUri,
      lifecycle_stage: 'active',
      deleted_time: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Adds tags to a new run (keys unique, none there yet). */
export async function insertRunTags(
  db: Kysely<Database>,
  runId: number,
  tags: readonly { key: string; value: string }[],
): Promise<void> {
  await db
    .insertInto('run_tags')
    .values(tags.map(({ key, value }) => ({ run_id: runId, key, value })))
    .execute();
}

/** Sets a run's tag, replacing the value it had. */
export async function upsertRunTag(db: Kysely<Database>, runId: number, key: string, value: string): Promise<void> {
  await db
    .insertInto('run_tags')
    .values({ run_id: runId, key, value })
    .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value }))
    .execute();
}

/** Removes a run's tag; whether it had one. */
export async function deleteRunTag(db: Kysely<Database>, runId: number, key: string): Promise<boolean> {
  const res = await db.deleteFrom('run_tags').where('run_id', '=', runId).where('key', '=', key).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/**
 * The value of a run's tag, for a read-modify-write inside the caller's transaction: on
 * PostgreSQL the row is locked until the transaction ends (SQLite transactions already hold the
 * write lock).
 */
export async function findRunTagValueForUpdate(
  db: Kysely<Database>,
  runId: number,
  key: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('run_tags')
    .select('value')
    .where('run_id', '=', runId)
    .where('key', '=', key)
    .$call(lockForUpdate(db))
    .executeTakeFirst();
  return row?.value;
}

/** Sets a run's status unless it already has it; whether it changed (so concurrent updates see one change). */
export async function changeRunStatus(db: Kysely<Database>, runId: number, status: RunStatus): Promise<boolean> {
  const res = await db
    .updateTable('runs')
    .set({ status })
    .where('id', '=', runId)
    .where('status', '!=', status)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Updates a run's status, end time and name (those given; nothing when none is). */
export async function updateRun(
  db: Kysely<Database>,
  runId: number,
  patch: { status?: string; end_time?: number; name?: string },
): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db.updateTable('runs').set(patch).where('id', '=', runId).execute();
}

export async function softDeleteRun(db: Kysely<Database>, runId: number, now: number): Promise<void> {
  await db.updateTable('runs').set({ lifecycle_stage: 'deleted', deleted_time: now }).where('id', '=', runId).execute();
}

export async function restoreRun(db: Kysely<Database>, runId: number): Promise<void> {
  await db.updateTable('runs').set({ lifecycle_stage: 'active', deleted_time: null }).where('id', '=', runId).execute();
}

/** A param as stored: MLflow's string value and Trove's native type of it. */
export interface TypedParamRow {
  key: string;
  value: string;
  value_type: string;
}

/** A run's params by key. */
export function listRunParams(db: Kysely<Database>, runId: number): Promise<TypedParamRow[]> {
  return db
    .selectFrom('params')
    .select(['key', 'value', 'value_type'])
    .where('run_id', '=', runId)
    .orderBy('key')
    .execute();
}

/** A metric series' running statistics, as the writers keep them on its row. */
export interface MetricSummaryRow {
  key: string;
  min_value: number | null;
  max_value: number | null;
  point_count: number;
}

/** Every metric of a run with its min, max (NaN left out) and point count, by key: one row per metric. */
export async function listRunMetricSummaries(db: Kysely<Database>, runId: number): Promise<MetricSummaryRow[]> {
  const rows = await db
    .selectFrom('metric_series')
    .select(['key', 'min_value', 'max_value', 'point_count'])
    .where('run_id', '=', runId)
    .orderBy('key')
    .execute();
  // PostgreSQL's BIGINT point_count arrives as a string.
  return rows.map((r) => ({ ...r, point_count: Number(r.point_count) }));
}
