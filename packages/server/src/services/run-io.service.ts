import { invalidParam, LIMITS, missing, validateLength, validateRunId } from '@trove/protocol';
import { insertRunModelEdges, linkRunDataset, listDatasetInputs, runInTransaction, type Store } from '@trove/store';
import type { RunService } from './run.service.ts';
import type { Workspace } from './workspace.service.ts';

type Items = Record<string, unknown>[] | undefined;

function req(obj: Record<string, unknown>, key: string, field: string, limit: number): string {
  const v = obj[key];
  if (typeof v !== 'string' || v === '') throw missing(`${field}.${key}`);
  validateLength(v, limit, `${field}.${key}`);
  return v;
}

function opt(obj: Record<string, unknown>, key: string, field: string, limit: number): string | null {
  const v = obj[key];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw invalidParam(`Invalid value for parameter '${field}.${key}' supplied.`);
  validateLength(v, limit, `${field}.${key}`);
  return v;
}

/** Run inputs (datasets, models) and outputs (logged models): the lineage edges of a run. */
export function createRunIoService(store: Store, runs: RunService) {
  const { db } = store;

  async function logInputs(ws: Workspace, runUuid: string, input: { datasets?: Items; models?: Items }): Promise<void> {
    validateRunId(runUuid);
    const datasets = (input.datasets ?? []).map((d, i) => {
      const field = `datasets[${i}]`;
      const ds = d?.dataset as Record<string, unknown> | undefined;
      if (!ds || typeof ds !== 'object') throw missing(`${field}.dataset`);
      const tags = ((d.tags as Record<string, unknown>[] | undefined) ?? []).map((t, j) => ({
        key: req(t, 'key', `${field}.tags[${j}]`, LIMITS.inputTagKey),
        value: req(t, 'value', `${field}.tags[${j}]`, LIMITS.inputTagValue),
      }));
      return {
        tags,
        name: req(ds, 'name', `${field}.dataset`, LIMITS.datasetName),
        digest: req(ds, 'digest', `${field}.dataset`, LIMITS.datasetDigest),
        source_type: req(ds, 'source_type', `${field}.dataset`, 1000),
        source: req(ds, 'source', `${field}.dataset`, LIMITS.datasetSource),
        schema: opt(ds, 'schema', `${field}.dataset`, LIMITS.datasetSchema),
        profile: opt(ds, 'profile', `${field}.dataset`, LIMITS.datasetProfile),
      };
    });
    const models = (input.models ?? []).map((m, i) => {
      if (typeof m?.model_id !== 'string' || m.model_id === '') throw missing(`models[${i}].model_id`);
      return m.model_id;
    });
    const run = await runs.getActiveRow(ws, runUuid);
    await runInTransaction(store, async (tx) => {
      // Linking the same dataset twice is a no-op: the first call's tags stay.
      for (const { tags, ...dataset } of datasets)
        await linkRunDataset(tx, run.id, run.experiment_id, dataset, JSON.stringify(tags));
      await insertRunModelEdges(
        tx,
        run.id,
        'input',
        models.map((modelId) => ({ model_id: modelId, step: 0 })),
      );
    });
  }

  async function logOutputs(ws: Workspace, runUuid: string, models: Record<string, unknown>[]): Promise<void> {
    const edges = models.map((m, i) => {
      if (typeof m?.model_id !== 'string' || m.model_id === '') throw missing(`models[${i}].model_id`);
      const step = m.step ?? 0;
      if (!(typeof step === 'number' && Number.isInteger(step)) && !(typeof step === 'string' && /^-?\d+$/.test(step)))
        throw invalidParam(`Invalid value for parameter 'models[${i}].step' supplied.`);
      return { model_id: m.model_id, step: Number(step) };
    });
    const run = await runs.getActiveRow(ws, runUuid);
    await runInTransaction(store, (tx) => insertRunModelEdges(tx, run.id, 'output', edges));
  }

  async function searchDatasets(ws: Workspace, experimentIds: number[]) {
    if (experimentIds.length === 0) return [];
    const rows = await listDatasetInputs(db, ws.id, experimentIds, 10_000);
    const seen = new Map<string, { experiment_id: string; name: string; digest: string; context?: string }>();
    for (const r of rows) {
      const context = (JSON.parse(r.tags_json) as { key: string; value: string }[]).find(
        (t) => t.key === 'mlflow.data.context',
      )?.value;
      const key = JSON.stringify([r.experiment_id, r.name, r.digest, context]);
      if (!seen.has(key))
        seen.set(key, {
          experiment_id: String(r.experiment_id),
          name: r.name,
          digest: r.digest,
          ...(context ? { context } : {}),
        });
      if (seen.size >= 1000) break;
    }
    return [...seen.values()];
  }

  return { logInputs, logOutputs, searchDatasets };
}

export type RunIoService = ReturnType<typeof createRunIoService>;
