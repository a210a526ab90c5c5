import { randomUUID } from 'node:crypto';
import {
  invalidParam,
  type LoggedModel,
  type LoggedModelStatus,
  notFound,
  readKeyValues,
  validateKey,
} from '@trove/protocol';
import {
  deleteLoggedModelTag,
  findLoggedModel,
  insertLoggedModel,
  type LoggedModelRow,
  loadLoggedModels,
  runInTransaction,
  type Store,
  searchLoggedModels,
  setLoggedModelStatus,
  softDeleteLoggedModel,
  upsertLoggedModelKv,
} from '@trove/store';
import type { ExperimentService } from './experiment.service.ts';
import { generateRunName } from './run-names.ts';
import type { Workspace } from './workspace.service.ts';

const BAD_NAME = /[/:.%"']/;

/** MLflow 3 logged models: created before artifacts upload, finalized with a status. */
export function createLoggedModelService(store: Store, experiments: ExperimentService) {
  const { db } = store;

  async function getRow(ws: Workspace, modelId: string): Promise<LoggedModelRow> {
    const row = await findLoggedModel(db, modelId);
    if (!row || row.workspace_id !== ws.id || row.lifecycle_stage !== 'active')
      throw notFound(`Logged model with ID '${modelId}' not found.`);
    return row;
  }

  async function present(row: LoggedModelRow): Promise<LoggedModel> {
    return (await loadLoggedModels(db, [row]))[0];
  }

  async function create(
    ws: Workspace,
    input: {
      experiment_id: string;
      name?: string;
      model_type?: string;
      source_run_id?: string;
      params?: Record<string, unknown>[];
      tags?: Record<string, unknown>[];
    },
  ): Promise<LoggedModel> {
    const exp = await experiments.getActiveRow(ws, input.experiment_id, () =>
      invalidParam(`The experiment ${input.experiment_id} must be in the 'active' state.`),
    );
    const name = input.name || generateRunName();
    if (BAD_NAME.test(name))
      throw invalidParam(`Invalid model name '${name}'. Names cannot contain these characters: / : . % " '`);
    const params = readKeyValues(input.params, 'params');
    const tags = readKeyValues(input.tags, 'tags');
    for (const kv of [...params, ...tags]) validateKey(kv.key);
    const modelId = `m-${randomUUID().replaceAll('-', '')}`;
    const now = Date.now();
    await runInTransaction(store, async (tx) => {
      await insertLoggedModel(tx, {
        modelId,
        experimentId: exp.experiment_id,
        name,
        artifactUri: `${exp.artifact_location.replace(/\/+$/, '')}/models/${modelId}/artifacts`,
        modelType: input.model_type || null,
        sourceRunId: input.source_run_id || null,
        now,
      });
      await upsertLoggedModelKv(tx, 'logged_model_params', modelId, params);
      await upsertLoggedModelKv(tx, 'logged_model_tags', modelId, tags);
    });
    return present(await getRow(ws, modelId));
  }

  async function finalize(ws: Workspace, modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    const row = await getRow(ws, modelId);
    await setLoggedModelStatus(db, row.model_id, status, Date.now());
    return present(await getRow(ws, modelId));
  }

  async function remove(ws: Workspace, modelId: string): Promise<void> {
    const row = await getRow(ws, modelId);
    await softDeleteLoggedModel(db, row.model_id, Date.now());
  }

  async function setTags(ws: Workspace, modelId: string, items: Record<string, unknown>[] | undefined): Promise<void> {
    const tags = readKeyValues(items, 'tags');
    for (const t of tags) validateKey(t.key, 'tag key');
    const row = await getRow(ws, modelId);
    await runInTransaction(store, (tx) => upsertLoggedModelKv(tx, 'logged_model_tags', row.model_id, tags));
  }

  async function deleteTag(ws: Workspace, modelId: string, key: string): Promise<void> {
    const row = await getRow(ws, modelId);
    if (!(await deleteLoggedModelTag(db, row.model_id, key)))
      throw notFound(`No tag with key '${key}' on logged model '${modelId}'.`);
  }

  async function logParams(
    ws: Workspace,
    modelId: string,
    items: Record<string, unknown>[] | undefined,
  ): Promise<void> {
    const params = readKeyValues(items, 'params');
    for (const p of params) validateKey(p.key, 'param key');
    const row = await getRow(ws, modelId);
    await runInTransaction(store, (tx) => upsertLoggedModelKv(tx, 'logged_model_params', row.model_id, params));
  }

  async function search(
    ws: Workspace,
    input: {
      experiment_ids?: string[];
      filter?: string;
      datasets?: Record<string, unknown>[];
      max_results?: number | bigint;
      order_by?: Record<string, unknown>[];
      page_token?: string;
    },
  ) {
    const ids = [];
    for (const id of input.experiment_ids ?? []) ids.push((await experiments.getRow(ws, id)).experiment_id);
    if (ids.length === 0) throw invalidParam("Missing value for required parameter 'experiment_ids'.");
    const max = input.max_results === undefined || Number(input.max_results) === 0 ? 100 : Number(input.max_results);
    if (max < 1 || max > 10_000) throw invalidParam(`Invalid value ${max} for parameter 'max_results' supplied.`);
    const found = await searchLoggedModels(store, {
      experimentIds: ids,
      filter: input.filter,
      datasets: input.datasets,
      maxResults: max,
      orderBy: input.order_by ?? [],
      pageToken: input.page_token,
    });
    return { models: await loadLoggedModels(db, found.rows), nextPageToken: found.nextPageToken };
  }

  return {
    getRow,
    create,
    get: async (ws: Workspace, id: string) => present(await getRow(ws, id)),
    finalize,
    remove,
    setTags,
    deleteTag,
    logParams,
    search,
  };
}

export type LoggedModelService = ReturnType<typeof createLoggedModelService>;
