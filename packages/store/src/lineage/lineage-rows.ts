import { type RawBuilder, sql } from 'kysely';
import { ddlOf } from '../migrator.ts';
import type { StoreDb } from '../transaction.ts';

/**
 * The lineage walk's reads, one statement per relation and hop over a whole frontier. Every one
 * starts from an index: a primary key, or an index of migration 0016 for the edges read backwards.
 * Each takes the workspace so nothing of another workspace is ever reached. Every statement
 * names its tables in the order they must be read, joined by `CROSS JOIN`, which fixes SQLite's
 * join order: without statistics it would start from the workspace (`experiments` or
 * `registered_models` by `workspace_id`, then every run or model in it) or scan `runs` and probe a
 * CTE. PostgreSQL plans `CROSS JOIN … WHERE` as any inner join, from its statistics.
 */

export const PARENT_TAG = 'mlflow.parentRunId';
const GIT_COMMIT_TAG = 'mlflow.source.git.commit';
const ENTRY_POINT_TAG = 'mlflow.source.name';

export interface RunRow {
  pk: number;
  run_uuid: string;
  name: string;
  experiment_id: number;
  status: string;
  start_time: number;
  lifecycle_stage: string;
  git_commit: string | null;
  entry_point: string | null;
  /** The frontier node the row was reached from (its key, as the query names it). */
  via: string;
}

export interface DatasetRow {
  id: number;
  experiment_id: number;
  name: string;
  digest: string;
  source: string;
  source_type: string;
  via: string;
}

export interface LoggedModelRow {
  model_id: string;
  experiment_id: number;
  name: string;
  status: string;
  creation_time: number;
  via: string;
}

export interface VersionRow {
  model_id: number;
  model_name: string;
  version: number;
  current_stage: string;
  run_id: string | null;
  logged_model_id: string | null;
  source: string;
  creation_time: number;
  via: string;
}

export interface AliasRow {
  model_id: number;
  model_name: string;
  alias: string;
  version: number;
}

export interface DeploymentNodeRow {
  id: number;
  model_id: number;
  model_name: string;
  version: number;
  environment: string;
  status: string;
  url: string | null;
  actor: string | null;
  time: number;
}

const list = (values: readonly (string | number)[]) => sql.join(values.map((v) => sql.val(v)));
const num = (v: unknown) => Number(v);

/** `run_tags.value = <expr>` so that PostgreSQL's (key, left(value, 256)) index can serve it (0010). */
function tagValueIn(db: StoreDb, column: RawBuilder<unknown>, values: RawBuilder<unknown>) {
  return ddlOf(db).name === 'postgres'
    ? sql`left(${column}, 256) IN (${values}) AND ${column} IN (${values})`
    : sql`${column} IN (${values})`;
}
function tagValueEq(db: StoreDb, column: RawBuilder<unknown>, value: RawBuilder<unknown>) {
  return ddlOf(db).name === 'postgres'
    ? sql`left(${column}, 256) = ${value} AND ${column} = ${value}`
    : sql`${column} = ${value}`;
}

const RUN_COLUMNS = sql`r.id AS pk, r.run_uuid, r.name, r.experiment_id, r.status, r.start_time, r.lifecycle_stage,
  g.value AS git_commit, s.value AS entry_point`;
/** After `… CROSS JOIN runs r`: the run's experiment (its scope) and the two tags a run node shows. */
const RUN_JOINS = sql`CROSS JOIN experiments e
  LEFT JOIN run_tags g ON g.run_id = r.id AND g.key = ${GIT_COMMIT_TAG}
  LEFT JOIN run_tags s ON s.run_id = r.id AND s.key = ${ENTRY_POINT_TAG}`;
const runInWorkspace = (ws: number) => sql`e.experiment_id = r.experiment_id AND e.workspace_id = ${ws}`;

async function runs(db: StoreDb, query: RawBuilder<RunRow>): Promise<RunRow[]> {
  const rows = (await query.execute(db)).rows;
  return rows.map((r) => ({
    ...r,
    pk: num(r.pk),
    experiment_id: num(r.experiment_id),
    start_time: num(r.start_time),
    via: String(r.via),
  }));
}

export function runsByUuid(db: StoreDb, ws: number, uuids: string[], limit: number): Promise<RunRow[]> {
  if (uuids.length === 0) return Promise.resolve([]);
  return runs(
    db,
    sql<RunRow>`SELECT ${RUN_COLUMNS}, r.run_uuid AS via FROM runs r ${RUN_JOINS}
      WHERE r.run_uuid IN (${list(uuids)}) AND ${runInWorkspace(ws)} LIMIT ${limit}`,
  );
}

/** Runs that read the datasets (`via`: the dataset id). */
export function runsReadingDatasets(db: StoreDb, ws: number, datasetIds: number[], limit: number): Promise<RunRow[]> {
  if (datasetIds.length === 0) return Promise.resolve([]);
  return runs(
    db,
    sql<RunRow>`SELECT ${RUN_COLUMNS}, i.dataset_id AS via FROM run_inputs i CROSS JOIN runs r ${RUN_JOINS}
      WHERE i.dataset_id IN (${list(datasetIds)}) AND r.id = i.run_id AND ${runInWorkspace(ws)} LIMIT ${limit}`,
  );
}

/** Descendants of the runs through `mlflow.parentRunId`, up to `levels` generations (`via`: the parent's uuid). */
export async function descendantRuns(
  db: StoreDb,
  ws: number,
  uuids: string[],
  levels: number,
  limit: number,
): Promise<(RunRow & { level: number })[]> {
  if (uuids.length === 0 || levels < 1) return [];
  const rows = await runs(
    db,
    sql<RunRow>`WITH RECURSIVE family(pk, uuid, via, level) AS (
        SELECT t.run_id, c.run_uuid, t.value, 1 FROM run_tags t CROSS JOIN runs c
          WHERE t.key = ${PARENT_TAG} AND ${tagValueIn(db, sql.ref('t.value'), list(uuids))} AND c.id = t.run_id
        UNION ALL
        SELECT t.run_id, c.run_uuid, f.uuid, f.level + 1 FROM family f CROSS JOIN run_tags t CROSS JOIN runs c
          WHERE f.level < ${levels} AND t.key = ${PARENT_TAG}
            AND ${tagValueEq(db, sql.ref('t.value'), sql.ref('f.uuid'))} AND c.id = t.run_id)
      SELECT ${RUN_COLUMNS}, f.via, f.level FROM family f CROSS JOIN runs r ${RUN_JOINS}
        WHERE r.id = f.pk AND ${runInWorkspace(ws)} LIMIT ${limit}`,
  );
  return rows as (RunRow & { level: number })[];
}

/** Ancestors of the runs, up to `levels` generations (`via`: the child's uuid). */
export async function ancestorRuns(
  db: StoreDb,
  ws: number,
  uuids: string[],
  levels: number,
  limit: number,
): Promise<(RunRow & { level: number })[]> {
  if (uuids.length === 0 || levels < 1) return [];
  const rows = await runs(
    db,
    sql<RunRow>`WITH RECURSIVE family(uuid, via, level) AS (
        SELECT t.value, c.run_uuid, 1 FROM runs c CROSS JOIN run_tags t
          WHERE c.run_uuid IN (${list(uuids)}) AND t.run_id = c.id AND t.key = ${PARENT_TAG}
        UNION ALL
        SELECT t.value, f.uuid, f.level + 1 FROM family f CROSS JOIN runs c CROSS JOIN run_tags t
          WHERE f.level < ${levels} AND c.run_uuid = f.uuid AND t.run_id = c.id AND t.key = ${PARENT_TAG})
      SELECT ${RUN_COLUMNS}, f.via, f.level FROM family f CROSS JOIN runs r ${RUN_JOINS}
        WHERE r.run_uuid = f.uuid AND ${runInWorkspace(ws)} LIMIT ${limit}`,
  );
  return rows as (RunRow & { level: number })[];
}

/** Runs that produced the logged models: their output edges and `source_run_id` (`via`: the model id). */
export function runsProducingModels(db: StoreDb, ws: number, modelIds: string[], limit: number): Promise<RunRow[]> {
  if (modelIds.length === 0) return Promise.resolve([]);
  return runs(
    db,
    sql<RunRow>`SELECT DISTINCT ${RUN_COLUMNS}, x.via FROM (
        SELECT run_id AS pk, model_id AS via FROM run_model_edges WHERE model_id IN (${list(modelIds)}) AND direction = 'output'
        UNION SELECT r0.id, m.model_id FROM logged_models m CROSS JOIN runs r0
          WHERE m.model_id IN (${list(modelIds)}) AND r0.run_uuid = m.source_run_id) x
      CROSS JOIN runs r ${RUN_JOINS} WHERE r.id = x.pk AND ${runInWorkspace(ws)} LIMIT ${limit}`,
  );
}

/** Runs that took the logged models as inputs (`via`: the model id). */
export function runsConsumingModels(db: StoreDb, ws: number, modelIds: string[], limit: number): Promise<RunRow[]> {
  if (modelIds.length === 0) return Promise.resolve([]);
  return runs(
    db,
    sql<RunRow>`SELECT DISTINCT ${RUN_COLUMNS}, x.model_id AS via FROM run_model_edges x CROSS JOIN runs r ${RUN_JOINS}
      WHERE x.model_id IN (${list(modelIds)}) AND x.direction = 'input' AND r.id = x.run_id AND ${runInWorkspace(ws)}
      LIMIT ${limit}`,
  );
}

async function datasets(db: StoreDb, query: RawBuilder<DatasetRow>): Promise<DatasetRow[]> {
  return (await query.execute(db)).rows.map((d) => ({
    ...d,
    id: num(d.id),
    experiment_id: num(d.experiment_id),
    via: String(d.via),
  }));
}

const DATASET_COLUMNS = sql`d.id, d.experiment_id, d.name, d.digest, d.source, d.source_type`;

/** Datasets the runs read (`via`: the run's uuid). */
export function datasetsOfRuns(db: StoreDb, ws: number, runPks: number[], limit: number): Promise<DatasetRow[]> {
  if (runPks.length === 0) return Promise.resolve([]);
  return datasets(
    db,
    sql<DatasetRow>`SELECT ${DATASET_COLUMNS}, r.run_uuid AS via
      FROM run_inputs i CROSS JOIN runs r CROSS JOIN datasets d CROSS JOIN experiments e
      WHERE i.run_id IN (${list(runPks)}) AND r.id = i.run_id AND d.id = i.dataset_id
        AND e.experiment_id = d.experiment_id AND e.workspace_id = ${ws} LIMIT ${limit}`,
  );
}

export function datasetByKey(
  db: StoreDb,
  ws: number,
  key: { experimentId: number; name: string; digest: string },
): Promise<DatasetRow[]> {
  return datasets(
    db,
    sql<DatasetRow>`SELECT ${DATASET_COLUMNS}, d.id AS via FROM datasets d CROSS JOIN experiments e
      WHERE d.experiment_id = ${key.experimentId} AND d.name = ${key.name} AND d.digest = ${key.digest}
        AND e.experiment_id = d.experiment_id AND e.workspace_id = ${ws}`,
  );
}

async function loggedModels(db: StoreDb, query: RawBuilder<LoggedModelRow>): Promise<LoggedModelRow[]> {
  return (await query.execute(db)).rows.map((m) => ({
    ...m,
    experiment_id: num(m.experiment_id),
    creation_time: num(m.creation_time),
    via: String(m.via),
  }));
}

const MODEL_COLUMNS = sql`m.model_id, m.experiment_id, m.name, m.status, m.creation_time`;
const modelInWorkspace = (ws: number) => sql`e.experiment_id = m.experiment_id AND e.workspace_id = ${ws}`;

export function loggedModelsById(db: StoreDb, ws: number, ids: string[]): Promise<LoggedModelRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return loggedModels(
    db,
    sql<LoggedModelRow>`SELECT ${MODEL_COLUMNS}, m.model_id AS via FROM logged_models m CROSS JOIN experiments e
      WHERE m.model_id IN (${list(ids)}) AND m.lifecycle_stage = 'active' AND ${modelInWorkspace(ws)}`,
  );
}

/** Logged models the runs produced or took as inputs (`via`: the run's uuid). */
export function modelsOfRuns(
  db: StoreDb,
  ws: number,
  direction: 'input' | 'output',
  runs: { pk: number; uuid: string }[],
  limit: number,
): Promise<LoggedModelRow[]> {
  if (runs.length === 0) return Promise.resolve([]);
  const bySource =
    direction === 'output'
      ? sql`UNION SELECT m0.model_id, m0.source_run_id FROM logged_models m0 WHERE m0.source_run_id IN (${list(runs.map((r) => r.uuid))})`
      : sql``;
  return loggedModels(
    db,
    sql<LoggedModelRow>`SELECT DISTINCT ${MODEL_COLUMNS}, x.via FROM (
        SELECT x0.model_id, r0.run_uuid AS via FROM run_model_edges x0 CROSS JOIN runs r0
          WHERE x0.run_id IN (${list(runs.map((r) => r.pk))}) AND x0.direction = ${direction} AND r0.id = x0.run_id
        ${bySource}) x
      CROSS JOIN logged_models m CROSS JOIN experiments e
      WHERE m.model_id = x.model_id AND m.lifecycle_stage = 'active' AND ${modelInWorkspace(ws)} LIMIT ${limit}`,
  );
}

async function versions(db: StoreDb, query: RawBuilder<VersionRow>): Promise<VersionRow[]> {
  return (await query.execute(db)).rows.map((v) => ({
    ...v,
    model_id: num(v.model_id),
    version: num(v.version),
    creation_time: num(v.creation_time),
    via: String(v.via),
  }));
}

const VERSION_COLUMNS = sql`v.model_id, rm.name AS model_name, v.version, v.current_stage, v.run_id, v.logged_model_id, v.source, v.creation_time`;
const versionInWorkspace = (ws: number) => sql`rm.id = v.model_id AND rm.workspace_id = ${ws}`;

/** Versions registered from the runs (those without a logged model) or from logged models (`via`: that id). */
export function versionsFrom(
  db: StoreDb,
  ws: number,
  from: 'run' | 'logged_model',
  ids: string[],
  limit: number,
): Promise<VersionRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  const where =
    from === 'run'
      ? // Not `IS NULL`, which SQLite would serve from the logged-model index instead of the run's.
        sql`v.run_id IN (${list(ids)}) AND COALESCE(v.logged_model_id, '') = ''`
      : sql`v.logged_model_id IN (${list(ids)})`;
  const via = from === 'run' ? sql`v.run_id` : sql`v.logged_model_id`;
  return versions(
    db,
    sql<VersionRow>`SELECT ${VERSION_COLUMNS}, ${via} AS via FROM model_versions v CROSS JOIN registered_models rm
      WHERE ${where} AND v.deleted = 0 AND ${versionInWorkspace(ws)} LIMIT ${limit}`,
  );
}

/** Versions by (model id, version), or with (model id, stage) where `stage` is given. */
export function versionsByKey(
  db: StoreDb,
  ws: number,
  keys: { modelId: number; version?: number; stage?: string }[],
  limit: number,
): Promise<VersionRow[]> {
  if (keys.length === 0) return Promise.resolve([]);
  const one = (k: (typeof keys)[number]) =>
    k.stage !== undefined
      ? sql`(v.model_id = ${k.modelId} AND v.current_stage = ${k.stage})`
      : sql`(v.model_id = ${k.modelId} AND v.version = ${k.version ?? -1})`;
  return versions(
    db,
    sql<VersionRow>`SELECT ${VERSION_COLUMNS}, v.model_id AS via FROM model_versions v CROSS JOIN registered_models rm
      WHERE (${sql.join(keys.map(one), sql` OR `)}) AND v.deleted = 0 AND ${versionInWorkspace(ws)} LIMIT ${limit}`,
  );
}

export async function modelIdByName(db: StoreDb, ws: number, name: string): Promise<number | undefined> {
  const row = (
    await sql<{ id: number }>`SELECT id FROM registered_models WHERE workspace_id = ${ws} AND name = ${name}`.execute(
      db,
    )
  ).rows[0];
  return row === undefined ? undefined : num(row.id);
}

/** Every alias of the models (few per model); the walk keeps those of its versions. */
export async function aliasesOfModels(db: StoreDb, ws: number, modelIds: number[]): Promise<AliasRow[]> {
  if (modelIds.length === 0) return [];
  const rows = (
    await sql<AliasRow>`SELECT a.model_id, rm.name AS model_name, a.alias, a.version
      FROM registered_model_aliases a CROSS JOIN registered_models rm
      WHERE a.model_id IN (${list(modelIds)}) AND rm.id = a.model_id AND rm.workspace_id = ${ws}`.execute(db)
  ).rows;
  return rows.map((a) => ({ ...a, model_id: num(a.model_id), version: num(a.version) }));
}

async function deployments(db: StoreDb, query: RawBuilder<DeploymentNodeRow>): Promise<DeploymentNodeRow[]> {
  return (await query.execute(db)).rows.map((d) => ({
    ...d,
    id: num(d.id),
    model_id: num(d.model_id),
    version: num(d.version),
    time: num(d.time),
  }));
}

const DEPLOYMENT_COLUMNS = sql`d.id, d.model_id, rm.name AS model_name, d.version, d.environment, d.status, d.url, d.actor, d.time`;

/** The deployment records of the versions, newest first. */
export function deploymentsOfVersions(
  db: StoreDb,
  ws: number,
  keys: { modelId: number; version: number }[],
): Promise<DeploymentNodeRow[]> {
  if (keys.length === 0) return Promise.resolve([]);
  const one = (k: (typeof keys)[number]) => sql`(d.model_id = ${k.modelId} AND d.version = ${k.version})`;
  return deployments(
    db,
    sql<DeploymentNodeRow>`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments d CROSS JOIN registered_models rm
      WHERE (${sql.join(keys.map(one), sql` OR `)}) AND rm.id = d.model_id AND rm.workspace_id = ${ws}
      ORDER BY d.time DESC, d.id DESC`,
  );
}

export function deploymentsById(db: StoreDb, ws: number, ids: number[]): Promise<DeploymentNodeRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return deployments(
    db,
    sql<DeploymentNodeRow>`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments d CROSS JOIN registered_models rm
      WHERE d.id IN (${list(ids)}) AND rm.id = d.model_id AND rm.workspace_id = ${ws}`,
  );
}
