import { invalidParam } from '@trove/protocol';
import { CompiledQuery, type Kysely } from 'kysely';
import { pendingAudit } from './audit-scope.ts';
import { foldBatch } from './metrics/batch-fold.ts';
import { packable } from './metrics/chunk-plan.ts';
import type { MetricPoint } from './metrics/metric-point.ts';
import { type BulkCopy, inCopyTransaction } from './metrics/postgres-bulk-copy.ts';
import { moveToRows, planChunks } from './metrics/postgres-chunk-writer.ts';
import { createSeriesIdCache, type SeriesIdCache } from './metrics/series-id-cache.ts';
import { type CtePart, composeCtes } from './postgres-cte.ts';
import { prepared } from './postgres-prepared.ts';
import {
  FOLD_CHUNKED,
  INSERT_MODEL_METRICS,
  INSERT_MOVED_ROWS,
  INSERT_POINTS,
  INSERT_STAGED_POINTS,
  LOCK_SERIES,
  LOCK_SERIES_BY_ID,
  PARAMS_CTES,
  REGISTER_METRICS,
  SELECT_PARAMS,
  SERIES_AND_PARAM_ROWS,
  SERIES_ROWS,
  UPSERT_PARAMS,
  UPSERT_TAGS,
} from './postgres-run-data-sql.ts';
import { AUDIT_ROW_CTE_PG, auditRowValues } from './repositories/audit.repository.ts';
import {
  INSERT_LIVE_EVENT_PG,
  LIVE_EVENT_CTE_PG,
  liveEventValues,
  NOTIFY_LIVE_EVENT_PG,
} from './repositories/live-event.repository.ts';
import {
  type ParamInput,
  paramConflictMessage,
  RUN_NAME_TAG,
  type RunDataBatch,
  type RunDataWriter,
} from './run-data-writer.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';

type Exec = <R = Record<string, unknown>>(text: string, values: unknown[]) => Promise<R[]>;

/** PostgreSQL codes worth a retry of the whole transaction: deadlock detected, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 5;

/**
 * A batch of at least this many points writes its new chunks and the points its series fold by
 * COPY; below it the array-bound statements measured faster (docs/benchmarks.md, issue 16).
 */
export const COPY_FROM_POINTS = 10_000;

/**
 * PostgreSQL ingest: the whole batch in one transaction on one pooled connection, each kind of
 * row written with one array-bound statement whatever the batch size (no per-point round trips,
 * no bound-variable limit), and a request's chunk, point, series and live-event writes in one
 * statement. Correct with any number of writers on other replicas: params are write-once through
 * the primary key, series rows are locked before their points are counted.
 */
export function createPostgresRunDataWriter(
  store: Store,
  {
    copyFromPoints = COPY_FROM_POINTS,
    copyRowPoints = false,
  }: {
    copyFromPoints?: number;
    /** Row points too, through the staging table: measured slower than INSERT … unnest, so only for the bench. */
    copyRowPoints?: boolean;
  } = {},
): RunDataWriter {
  const db = store.db;
  const seriesIds = createSeriesIdCache();
  return {
    async write(runId, runUuid, batch) {
      // The request's audit record rides in the batch's last statement: it commits with the data, at no extra round trip.
      const audit = pendingAudit();
      const auditPart = audit && { ctes: AUDIT_ROW_CTE_PG, values: auditRowValues(audit.entry) };
      for (let attempt = 1; ; attempt++) {
        const learned = new Map<string, number>();
        try {
          const ids = { cache: seriesIds, learned };
          if (store.pg && batch.metrics.length >= copyFromPoints)
            await inCopyTransaction(store.pg, (exec, copy) =>
              writeBatch(exec, runId, runUuid, batch, ids, auditPart, {
                ...copy,
                points: copyRowPoints ? copy.points : undefined,
              }),
            );
          else await db.transaction().execute((trx) => writeBatch(execOn(trx), runId, runUuid, batch, ids, auditPart));
        } catch (e) {
          const code = (e as { code?: unknown }).code;
          if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw e;
          continue;
        }
        // Only ids of committed rows: a rolled-back transaction's new series never existed.
        for (const [key, id] of learned) seriesIds.set(runId, key, id);
        audit?.committed();
        return;
      }
    },
  };
}

/** The writer's series-id cache, and the ids this transaction saw (remembered once it commits). */
interface SeriesIds {
  cache: SeriesIdCache;
  learned: Map<string, number>;
}

function execOn(trx: Kysely<Database>): Exec {
  return async <R>(text: string, values: unknown[]) =>
    (await trx.executeQuery<R>(CompiledQuery.raw(prepared(text), values))).rows as R[];
}

async function writeBatch(
  exec: Exec,
  runId: number,
  runUuid: string,
  batch: RunDataBatch,
  seriesIds: SeriesIds,
  audit: CtePart | undefined,
  copy?: BulkCopy,
): Promise<void> {
  const params = batch.params.length > 0 ? paramsPart(runId, batch.params) : undefined;
  const live: CtePart[] = batch.live ? [{ ctes: LIVE_EVENT_CTE_PG, values: liveEventValues(batch.live) }] : [];
  if (batch.metrics.length > 0) {
    const inserted = await writeMetrics(exec, runId, batch.metrics, seriesIds, params, live.splice(0), audit, copy);
    audit = undefined;
    if (params) await checkParams(exec, runId, runUuid, batch.params, inserted);
  } else if (params) {
    const inserted = (await exec(UPSERT_PARAMS, params.values)).length;
    await checkParams(exec, runId, runUuid, batch.params, inserted);
  }
  const modelMetrics = batch.metrics.filter((m) => m.modelId !== null);
  if (modelMetrics.length > 0) {
    await exec(INSERT_MODEL_METRICS, [
      runUuid,
      modelMetrics.map((m) => m.modelId),
      modelMetrics.map((m) => m.key),
      modelMetrics.map((m) => m.value),
      modelMetrics.map((m) => m.isNan),
      modelMetrics.map((m) => m.timestamp),
      modelMetrics.map((m) => m.step),
      modelMetrics.map((m) => m.datasetName),
      modelMetrics.map((m) => m.datasetDigest),
    ]);
  }
  if (batch.tags.length > 0) {
    // One row per key (the last value wins, as when applied in order): ON CONFLICT DO UPDATE may
    // not touch a row twice in one statement.
    const tags = new Map(batch.tags.map((t) => [t.key, t.value]));
    await exec(UPSERT_TAGS, [runId, [...tags.keys()], [...tags.values()]]);
    const runName = tags.get(RUN_NAME_TAG);
    if (runName !== undefined) await exec('UPDATE runs SET name = $1 WHERE id = $2', [runName, runId]);
  }
  if (live.length > 0) await exec(INSERT_LIVE_EVENT_PG, live[0].values);
  if (audit) await exec(`WITH ${audit.ctes}\nSELECT 1`, audit.values);
}

function paramsPart(runId: number, params: ParamInput[]): CtePart {
  return {
    ctes: PARAMS_CTES,
    values: [runId, params.map((p) => p.key), params.map((p) => p.value), params.map((p) => p.valueType)],
  };
}

/** Keys that were there already (or repeat within the batch) must each carry the stored value. */
async function checkParams(
  exec: Exec,
  runId: number,
  runUuid: string,
  params: ParamInput[],
  inserted: number,
): Promise<void> {
  if (inserted === params.length) return;
  const stored = new Map(
    (await exec<{ key: string; value: string }>(SELECT_PARAMS, [runId, params.map((p) => p.key)])).map((r) => [
      r.key,
      r.value,
    ]),
  );
  for (const p of params) {
    const existing = stored.get(p.key);
    if (existing !== undefined && existing !== p.value)
      throw invalidParam(paramConflictMessage(p.key, existing, p.value, runUuid));
  }
}

interface SeriesRow {
  id: number | string;
  key: string;
  layout: number;
  point_count: number | string;
  param: string | null;
}

/**
 * Locks the batch's series, creating the missing ones: by id for series this process has seen
 * (one SELECT … FOR UPDATE), by the upsert for the others and for ids whose row is gone. The
 * params CTEs (`lead`) ride in the first statement; returns the series and how many params it inserted.
 */
async function lockSeries(
  exec: Exec,
  runId: number,
  keys: string[],
  { cache, learned }: SeriesIds,
  lead: CtePart | undefined,
): Promise<{ series: SeriesRow[]; paramsInserted: number }> {
  let paramsInserted = 0;
  const run = async (lock: CtePart) => {
    const { text, values } = composeCtes(lead ? [lead, lock] : [lock], lead ? SERIES_AND_PARAM_ROWS : SERIES_ROWS);
    lead = undefined;
    const rows = await exec<SeriesRow>(text, values);
    paramsInserted += rows.filter((r) => r.param !== null).length;
    return rows.filter((r) => r.param === null);
  };
  const cached: number[] = [];
  for (const key of keys) {
    const id = cache.get(runId, key);
    if (id !== undefined) cached.push(id);
  }
  const series = cached.length > 0 ? await run({ ctes: LOCK_SERIES_BY_ID, values: [cached] }) : [];
  if (series.length < keys.length) {
    const found = new Set(series.map((s) => s.key));
    const missing = keys.filter((key) => !found.has(key));
    for (const key of missing) cache.delete(runId, key);
    series.push(...(await run({ ctes: LOCK_SERIES, values: [runId, missing] })));
  }
  for (const s of series) learned.set(s.key, Number(s.id));
  return { series, paramsInserted };
}

/**
 * Points of a batch: series locked and `params` written (one statement), chunk tails read (one), then every chunk
 * insert and tail rewrite, row insert, series upkeep, new-key registration and `extra` (the live
 * event) in one statement. Moves to rows and duplicate checks add statements only when they happen.
 */
async function writeMetrics(
  exec: Exec,
  runId: number,
  points: MetricPoint[],
  seriesIds: SeriesIds,
  params: CtePart | undefined,
  extra: CtePart[],
  audit: CtePart | undefined,
  copy?: BulkCopy,
): Promise<number> {
  const byKey = new Map<string, MetricPoint[]>();
  for (const p of points) {
    const list = byKey.get(p.key);
    if (list) list.push(p);
    else byKey.set(p.key, [p]);
  }
  const { series, paramsInserted } = await lockSeries(exec, runId, [...byKey.keys()].sort(), seriesIds, params);
  // Chunks for new series whose points pack and for chunked series; rows for the rest.
  const chunked = new Map<number, MetricPoint[]>();
  const created = new Set<number>();
  const ids = new Map<string, number>();
  const toRows: number[] = [];
  const createdKeys: string[] = [];
  for (const s of series) {
    const id = Number(s.id);
    ids.set(s.key, id);
    const isNew = Number(s.point_count) === 0;
    if (isNew) createdKeys.push(s.key);
    if (!isNew && s.layout !== 1) continue;
    const packed = packable(byKey.get(s.key) as MetricPoint[]);
    if (packed) chunked.set(id, packed);
    else if (!isNew) toRows.push(id);
    if (packed && isNew) created.add(id);
  }
  // The fold below also updates these rows: a statement may not update a row twice.
  if (created.size > 0) await exec('UPDATE metric_series SET layout = 1 WHERE id = ANY($1::int8[])', [[...created]]);
  const { out: written, parts } =
    chunked.size > 0
      ? await planChunks(exec, chunked, created, copy)
      : { out: new Map<number, MetricPoint[] | undefined>(), parts: [] };
  for (const [id, fresh] of written) if (fresh === undefined) toRows.push(id);
  if (toRows.length > 0) {
    await moveToRows(exec, toRows, async (seriesId, moved) => {
      await exec(INSERT_MOVED_ROWS, [
        seriesId,
        moved.map((p) => p.timestamp),
        moved.map((p) => p.step),
        moved.map((p) => p.isNan),
        moved.map((p) => p.value),
      ]);
    });
  }
  if (createdKeys.length > 0) parts.push({ ctes: REGISTER_METRICS, values: [runId, createdKeys] });
  const folds = [...written].flatMap(([id, list]) => (list && list.length > 0 ? [[id, foldBatch(list)] as const] : []));
  if (folds.length > 0) {
    parts.push({
      ctes: FOLD_CHUNKED,
      values: [
        folds.map(([id]) => id),
        folds.map(([, f]) => f.count),
        folds.map(([, f]) => f.min),
        folds.map(([, f]) => f.max),
        folds.map(([, f]) => f.latest.step),
        folds.map(([, f]) => f.latest.timestamp),
        folds.map(([, f]) => f.latest.value),
        folds.map(([, f]) => f.latest.isNan),
      ],
    });
  }
  const rows = points.filter((p) => {
    const id = ids.get(p.key) as number;
    return !written.has(id) || written.get(id) === undefined;
  });
  if (rows.length > 0 && copy?.points) {
    await copy.points(rows.map((p) => [ids.get(p.key) as number, p]));
    parts.push({ ctes: INSERT_STAGED_POINTS, values: [] });
  } else if (rows.length > 0) {
    parts.push({
      ctes: INSERT_POINTS,
      values: [
        rows.map((p) => ids.get(p.key)),
        rows.map((p) => p.timestamp),
        rows.map((p) => p.step),
        rows.map((p) => p.isNan),
        rows.map((p) => p.value),
        rows.map((p) => p.modelId),
        rows.map((p) => p.datasetName),
        rows.map((p) => p.datasetDigest),
      ],
    });
  }
  parts.push(...extra);
  if (audit) parts.push(audit);
  if (parts.length > 0) {
    const { text, values } = composeCtes(parts, extra.length > 0 ? NOTIFY_LIVE_EVENT_PG : 'SELECT 1');
    await exec(text, values);
  }
  return paramsInserted;
}
