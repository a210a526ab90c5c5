import { invalidParam } from '@trove/protocol';
import type BetterSqlite3 from 'better-sqlite3';
import type { MetricPoint } from './metrics/metric-point.ts';
import { createSqliteMetricWriter } from './metrics/sqlite-metric-writer.ts';
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
}

const RUN_NAME_TAG = 'mlflow.runName';

/**
 * Writes a batch of params, metrics and tags to one run atomically (MLflow applies them in that
 * order and can leave partial writes; Trove commits all or nothing). A conflicting param value
 * rejects the whole batch.
 */
export function createRunDataWriter(store: Store) {
  const raw = store.sqlite as BetterSqlite3.Database;
  const metrics = createSqliteMetricWriter(raw);
  const selectParam = raw.prepare<[number, string], { value: string }>('SELECT value FROM params WHERE run_id = ? AND key = ?');
  const insertParam = raw.prepare('INSERT INTO params (run_id, key, value, value_type) VALUES (?, ?, ?, ?)');
  const upsertTag = raw.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value');
  const renameRun = raw.prepare('UPDATE runs SET name = ? WHERE id = ?');
  const insertModelMetric = raw.prepare(
    'INSERT INTO logged_model_metrics (model_id, key, value, is_nan, timestamp, step, run_id, dataset_name, dataset_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  const writeAll = raw.transaction((runId: number, runUuid: string, batch: RunDataBatch) => {
    for (const p of batch.params) {
      const existing = selectParam.get(runId, p.key);
      if (existing) {
        if (existing.value !== p.value) {
          throw invalidParam(
            `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${existing.value}' for run ID='${runUuid}'. Attempted logging new value '${p.value}'.`,
          );
        }
        continue;
      }
      insertParam.run(runId, p.key, p.value, p.valueType);
    }
    if (batch.metrics.length > 0) metrics.write(runId, batch.metrics);
    // MLflow 3: a metric logged with a model_id also belongs to that logged model.
    for (const m of batch.metrics) {
      if (m.modelId !== null) insertModelMetric.run(m.modelId, m.key, m.value, m.isNan, m.timestamp, m.step, runUuid, m.datasetName, m.datasetDigest);
    }
    for (const t of batch.tags) {
      upsertTag.run(runId, t.key, t.value);
      if (t.key === RUN_NAME_TAG) renameRun.run(t.value, runId);
    }
  });

  return {
    write(runId: number, runUuid: string, batch: RunDataBatch): Promise<void> {
      return store.exclusive(() => writeAll.immediate(runId, runUuid, batch));
    },
  };
}

export type RunDataWriter = ReturnType<typeof createRunDataWriter>;
