import { invalidParam } from '@trove/protocol';
import type BetterSqlite3 from 'better-sqlite3';
import { createSqliteKeyRegistrar, type RunKey } from './experiment-keys.ts';
import type { MetricPoint } from './metrics/metric-point.ts';
import { createSqliteMetricWriter } from './metrics/sqlite-metric-writer.ts';
import { createPostgresRunDataWriter } from './postgres-run-data-writer.ts';
import {
  INSERT_LIVE_EVENT_SQLITE,
  liveEventValues,
  type NewLiveEvent,
  wakeLocalLiveTailers,
} from './repositories/live-event.repository.ts';
import type { Store } from './store.ts';

export interface ParamInput {
  key: string;
  value: string;
  /** 'string' | 'number' | 'bool' | 'json' — native type kept for Trove's own API. */
  valueType: string;
}

export interface RunDataBatch {
  params: ParamInput[];
  metrics: MetricPoint[];
  tags: { key: string; value: string }[];
  /** The live event announcing the batch (`metrics`), appended in the same transaction. */
  live?: NewLiveEvent;
}

export const RUN_NAME_TAG = 'mlflow.runName';

/**
 * Writes a batch of params, metrics and tags to one run atomically (MLflow applies them in that
 * order and can leave partial writes; Trove commits all or nothing). A conflicting param value
 * rejects the whole batch.
 */
export interface RunDataWriter {
  write(runId: number, runUuid: string, batch: RunDataBatch): Promise<void>;
}

/** The message MLflow gives when a param is logged again with another value. */
export function paramConflictMessage(key: string, existing: string, attempted: string, runUuid: string): string {
  return `Changing param values is not allowed. Param with key='${key}' was already logged with value='${existing}' for run ID='${runUuid}'. Attempted logging new value '${attempted}'.`;
}

/** The ingest writer of the store's dialect: the one place the choice is made. */
export function createRunDataWriter(store: Store): RunDataWriter {
  return store.ddl.name === 'postgres' ? createPostgresRunDataWriter(store) : createSqliteRunDataWriter(store);
}

/** SQLite: prepared statements in one `BEGIN IMMEDIATE` transaction per request, on the exclusively held connection. */
export function createSqliteRunDataWriter(store: Store): RunDataWriter {
  const raw = store.sqlite as BetterSqlite3.Database;
  const exclusive = store.exclusive as NonNullable<Store['exclusive']>;
  const metrics = createSqliteMetricWriter(raw);
  const selectParam = raw.prepare<[number, string], { value: string }>(
    'SELECT value FROM params WHERE run_id = ? AND key = ?',
  );
  const insertParam = raw.prepare('INSERT INTO params (run_id, key, value, value_type) VALUES (?, ?, ?, ?)');
  const upsertTag = raw.prepare(
    'INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value',
  );
  const renameRun = raw.prepare('UPDATE runs SET name = ? WHERE id = ?');
  const insertModelMetric = raw.prepare(
    'INSERT INTO logged_model_metrics (model_id, key, value, is_nan, timestamp, step, run_id, dataset_name, dataset_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  const insertLive = raw.prepare(INSERT_LIVE_EVENT_SQLITE);
  const registerKeys = createSqliteKeyRegistrar(raw);

  const writeAll = raw.transaction((runId: number, runUuid: string, batch: RunDataBatch) => {
    // Keys that may be new to the experiment: new params, new series, every tag set.
    const keys: RunKey[] = [];
    for (const p of batch.params) {
      const existing = selectParam.get(runId, p.key);
      if (existing) {
        if (existing.value !== p.value) {
          throw invalidParam(paramConflictMessage(p.key, existing.value, p.value, runUuid));
        }
        continue;
      }
      insertParam.run(runId, p.key, p.value, p.valueType);
      keys.push({ kind: 'param', key: p.key });
    }
    if (batch.metrics.length > 0)
      for (const key of metrics.write(runId, batch.metrics)) keys.push({ kind: 'metric', key });
    // MLflow 3: a metric logged with a model_id also belongs to that logged model.
    for (const m of batch.metrics) {
      if (m.modelId !== null)
        insertModelMetric.run(
          m.modelId,
          m.key,
          m.value,
          m.isNan,
          m.timestamp,
          m.step,
          runUuid,
          m.datasetName,
          m.datasetDigest,
        );
    }
    for (const t of batch.tags) {
      upsertTag.run(runId, t.key, t.value);
      if (t.key === RUN_NAME_TAG) renameRun.run(t.value, runId);
      keys.push({ kind: 'tag', key: t.key });
    }
    registerKeys(runId, keys);
    if (batch.live) insertLive.run(...liveEventValues(batch.live));
  });

  return {
    async write(runId: number, runUuid: string, batch: RunDataBatch): Promise<void> {
      await exclusive(() => writeAll.immediate(runId, runUuid, batch));
      if (batch.live) wakeLocalLiveTailers();
    },
  };
}
