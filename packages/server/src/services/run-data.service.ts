import { describeValue, invalidParam, LIMITS, missing, notFound, validateRunId } from '@trove/protocol';
import {
  deleteRunTag,
  findRunTagValueForUpdate,
  type MetricPoint,
  type ParamInput,
  type RunDataWriter,
  registerExperimentKeys,
  runInTransaction,
  type Store,
  upsertRunTag,
} from '@trove/store';
import { metricsLiveEvent } from './live-events.ts';
import { readMetric } from './metric-input.ts';
import { type RunService, validateParam, validateRunTag } from './run.service.ts';
import type { Workspace } from './workspace.service.ts';

type Items = Record<string, unknown>[] | undefined;

function stringValue(v: unknown, field: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalidParam(`Invalid value ${describeValue(v)} for parameter '${field}' supplied.`);
  return v;
}

function readItems(items: Items, field: string, check: (key: string, value: string) => void) {
  return (items ?? []).map((item, i) => {
    if (item === null || typeof item !== 'object')
      throw invalidParam(`Invalid value for parameter '${field}[${i}]' supplied.`);
    if (typeof item.key !== 'string' || item.key === '') throw missing(`${field}[${i}].key`);
    const value = stringValue(item.value, `${field}[${i}].value`);
    check(item.key, value);
    return { key: item.key, value };
  });
}

/**
 * Called after a batch with metrics committed (alert rules): returns nothing, synchronously, when
 * it has nothing to do, so the ingest path pays no await for it.
 */
export type MetricsHook = (
  run: { id: number; run_uuid: string; experiment_id: number },
  points: readonly MetricPoint[],
) => Promise<void> | undefined;

export function createRunDataService(store: Store, runs: RunService, writer: RunDataWriter, onMetrics?: MetricsHook) {
  async function logBatch(
    ws: Workspace,
    runUuid: string,
    input: { metrics?: Items; params?: Items; tags?: Items },
  ): Promise<void> {
    validateRunId(runUuid);
    const m = input.metrics ?? [];
    const p = input.params ?? [];
    const t = input.tags ?? [];
    if (
      m.length > LIMITS.batchMetrics ||
      p.length > LIMITS.batchParams ||
      t.length > LIMITS.batchTags ||
      m.length + p.length + t.length > LIMITS.batchTotal
    ) {
      throw invalidParam(
        `A batch logging request can contain at most ${LIMITS.batchMetrics} metrics, ${LIMITS.batchParams} params, ${LIMITS.batchTags} tags and ${LIMITS.batchTotal} items in total. Got ${m.length} metrics, ${p.length} params and ${t.length} tags.`,
      );
    }
    const params: ParamInput[] = readItems(p, 'params', validateParam).map((x) => ({ ...x, valueType: 'string' }));
    const seen = new Map<string, string>();
    for (const x of params) {
      if (seen.has(x.key))
        throw invalidParam(
          `Duplicate parameter keys have been submitted: ['${x.key}']. Please ensure the request contains only one param value per param key.`,
        );
      seen.set(x.key, x.value);
    }
    const validKeys = new Set<string>();
    const metrics = m.map((x, i) => readMetric(x, `metrics[${i}]`, validKeys));
    const tags = readItems(t, 'tags', validateRunTag);
    const run = await runs.getActiveRow(ws, runUuid);
    await writer.write(run.id, runUuid, { params, metrics, tags, live: metricsLiveEvent(ws.id, run, metrics) });
    const judging = onMetrics?.(run, metrics);
    if (judging) await judging;
  }

  async function logMetric(ws: Workspace, runUuid: string, metric: Record<string, unknown>): Promise<void> {
    const point = readMetric(metric, 'metric');
    const run = await runs.getActiveRow(ws, runUuid);
    await writer.write(run.id, runUuid, {
      params: [],
      metrics: [point],
      tags: [],
      live: metricsLiveEvent(ws.id, run, [point]),
    });
    const judging = onMetrics?.(run, [point]);
    if (judging) await judging;
  }

  async function logParam(ws: Workspace, runUuid: string, key: string, value: string): Promise<void> {
    validateParam(key, value);
    const run = await runs.getActiveRow(ws, runUuid);
    await writer.write(run.id, runUuid, { params: [{ key, value, valueType: 'string' }], metrics: [], tags: [] });
  }

  async function setTag(ws: Workspace, runUuid: string, key: string, value: string): Promise<void> {
    validateRunTag(key, value);
    const run = await runs.getActiveRow(ws, runUuid);
    await writer.write(run.id, runUuid, { params: [], metrics: [], tags: [{ key, value }] });
  }

  async function deleteTag(ws: Workspace, runUuid: string, key: string): Promise<void> {
    const run = await runs.getActiveRow(ws, runUuid);
    if (!(await deleteRunTag(store.db, run.id, key)))
      throw notFound(`No tag with name: ${key} in run with id ${runUuid}`);
  }

  /** MLflow 2.x `log-model`: appends the model JSON to the run's `mlflow.log-model.history` tag. */
  async function logModel(ws: Workspace, runUuid: string, modelJson: string): Promise<void> {
    let model: unknown;
    try {
      model = JSON.parse(modelJson);
    } catch {
      throw invalidParam(`Malformed model info. \n ${modelJson.slice(0, 200)}\n is not a valid JSON.`);
    }
    const missingKeys = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'].filter(
      (k) => !(model && typeof model === 'object' && k in model),
    );
    if (missingKeys.length > 0) throw invalidParam(`Model json is missing mandatory fields: ${missingKeys.join(', ')}`);
    const run = await runs.getActiveRow(ws, runUuid);
    await runInTransaction(store, async (tx) => {
      // Read-modify-write: the tag row stays locked until the transaction ends.
      const tag = await findRunTagValueForUpdate(tx, run.id, 'mlflow.log-model.history');
      const history = tag !== undefined ? (JSON.parse(tag) as unknown[]) : [];
      history.push(model);
      await upsertRunTag(tx, run.id, 'mlflow.log-model.history', JSON.stringify(history));
      await registerExperimentKeys(tx, [
        { experimentId: run.experiment_id, kind: 'tag', key: 'mlflow.log-model.history' },
      ]);
    });
  }

  return { logBatch, logMetric, logParam, setTag, deleteTag, logModel };
}

export type RunDataService = ReturnType<typeof createRunDataService>;
