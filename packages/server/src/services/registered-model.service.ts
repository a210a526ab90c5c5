import {
  invalidParam,
  LIMITS,
  MODEL_VERSION_STAGES,
  type ModelVersion,
  type ModelVersionStage,
  notFound,
  type RegisteredModel,
  readKeyValues,
  TroveError,
  validateKey,
  validateLength,
} from '@trove/protocol';
import {
  activeVersionExists,
  activeVersionsNewestFirst,
  deleteRegisteredModel,
  deleteRegisteredModelAlias,
  deleteRegisteredModelTag,
  findAliasVersion,
  findLatestActiveVersion,
  findModelVersion,
  findRegisteredModel,
  insertRegisteredModel,
  insertRegisteredModelTags,
  loadModelVersions,
  loadRegisteredModels,
  noteAuditBefore,
  type RegisteredModelRow,
  renameRegisteredModel,
  runInTransaction,
  type Store,
  searchRegisteredModels,
  setRegisteredModelDescription,
  touchRegisteredModel,
  upsertRegisteredModelAlias,
  upsertRegisteredModelTag,
  type Visibility,
} from '@trove/store';
import { recordEvent } from './registry-events.ts';
import type { Workspace } from './workspace.service.ts';

export const PROMPT_TAG = 'mlflow.prompt.is_prompt';
const ALIAS_RE = /^[\w-]*$/;

export function canonicalStage(stage: string): ModelVersionStage {
  const found = MODEL_VERSION_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found)
    throw invalidParam(
      `Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_VERSION_STAGES.join(', ')}.`,
    );
  return found;
}

export function parseVersion(version: string): number {
  if (!/^\d{1,9}$/.test(version.trim()))
    throw invalidParam(`Model version must be an integer, got '${version.slice(0, 200)}'`);
  return Number(version);
}

export function validateAlias(alias: string): void {
  if (alias === '' || alias.length > LIMITS.aliasLength || !ALIAS_RE.test(alias)) {
    throw invalidParam(
      `Invalid alias name '${alias}'. Aliases may only contain letters, digits, underscores and dashes, and be at most ${LIMITS.aliasLength} characters.`,
    );
  }
  if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias))
    throw invalidParam(`'${alias}' is a reserved alias name (latest, v<number>).`);
}

function validateRegistryTag(key: string, value: string): void {
  validateKey(key, 'tag key');
  validateLength(value, LIMITS.registryTagValueLength, `tag value for '${key}'`);
}

/** Registered models: MLflow's semantics, one workspace at a time, every change logged as an event. */
export function createRegisteredModelService(store: Store) {
  const { db } = store;

  async function getRow(ws: Workspace, name: string, within = db): Promise<RegisteredModelRow> {
    const row = await findRegisteredModel(within, ws.id, name);
    if (!row) throw notFound(`Registered Model with name=${name} not found`);
    return row;
  }

  const present = async (row: RegisteredModelRow): Promise<RegisteredModel> =>
    (await loadRegisteredModels(db, [row]))[0];

  async function create(
    ws: Workspace,
    input: { name: string; tags?: Record<string, unknown>[]; description?: string },
    actor?: string,
  ): Promise<RegisteredModel> {
    validateLength(input.name, LIMITS.registeredModelNameLength, 'registered model name');
    const tags = readKeyValues(input.tags, 'tags');
    for (const t of tags) validateRegistryTag(t.key, t.value);
    const now = Date.now();
    const row = await runInTransaction(store, async (trx) => {
      if (await findRegisteredModel(trx, ws.id, input.name))
        throw new TroveError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${input.name}) already exists.`);
      const id = await insertRegisteredModel(trx, {
        workspace_id: ws.id,
        name: input.name,
        description: input.description || null,
        user_id: actor ?? null,
        creation_time: now,
        last_update_time: now,
        next_version: 1,
      });
      await insertRegisteredModelTags(trx, id, new Map(tags.map((t) => [t.key, t.value])));
      const isPrompt = tags.some((t) => t.key === PROMPT_TAG && t.value === 'true');
      await recordEvent(trx, {
        workspaceId: ws.id,
        modelId: id,
        modelName: input.name,
        entity: isPrompt ? 'prompt' : 'registered_model',
        action: 'created',
        actor,
        payload: {
          name: input.name,
          tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
          description: input.description ?? '',
        },
      });
      return getRow(ws, input.name, trx);
    });
    return present(row);
  }

  async function rename(ws: Workspace, name: string, newName: string, actor?: string): Promise<RegisteredModel> {
    validateLength(newName, LIMITS.registeredModelNameLength, 'registered model name');
    const row = await runInTransaction(store, async (trx) => {
      const model = await getRow(ws, name, trx);
      noteAuditBefore({ name: model.name });
      if (newName !== name && (await findRegisteredModel(trx, ws.id, newName)))
        throw new TroveError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${newName}) already exists.`);
      await renameRegisteredModel(trx, model.id, newName, Date.now());
      await recordEvent(trx, {
        workspaceId: ws.id,
        modelId: model.id,
        modelName: newName,
        entity: 'registered_model',
        action: 'renamed',
        actor,
        payload: { name, new_name: newName },
      });
      return getRow(ws, newName, trx);
    });
    return present(row);
  }

  async function update(
    ws: Workspace,
    name: string,
    description: string | undefined,
    actor?: string,
  ): Promise<RegisteredModel> {
    const model = await getRow(ws, name);
    noteAuditBefore({ description: model.description ?? '' });
    await runInTransaction(store, async (trx) => {
      await setRegisteredModelDescription(trx, model.id, description || null, Date.now());
      await recordEvent(trx, {
        workspaceId: ws.id,
        modelId: model.id,
        modelName: name,
        entity: 'registered_model',
        action: 'updated',
        actor,
        payload: { description: description ?? '' },
      });
    });
    return present(await getRow(ws, name));
  }

  async function remove(ws: Workspace, name: string, actor?: string): Promise<void> {
    const model = await getRow(ws, name);
    await runInTransaction(store, async (trx) => {
      await deleteRegisteredModel(trx, model.id);
      await recordEvent(trx, {
        workspaceId: ws.id,
        modelId: model.id,
        modelName: name,
        entity: 'registered_model',
        action: 'deleted',
        actor,
        payload: { name },
      });
    });
  }

  async function search(
    ws: Workspace,
    input: { filter?: string; max_results?: number | bigint; order_by?: string[]; page_token?: string },
    visible?: Visibility<string>,
  ) {
    const max = input.max_results === undefined ? LIMITS.searchRegisteredModelsDefault : Number(input.max_results);
    if (!(max >= 1 && max <= LIMITS.searchRegisteredModelsMax))
      throw invalidParam(
        `Invalid value for max_results. It must be at most ${LIMITS.searchRegisteredModelsMax}, but got value ${max}`,
      );
    const found = await searchRegisteredModels(store, {
      workspaceId: ws.id,
      filter: input.filter,
      maxResults: max,
      orderBy: input.order_by ?? [],
      pageToken: input.page_token,
      visible,
    });
    return { models: await loadRegisteredModels(db, found.rows), nextPageToken: found.nextPageToken };
  }

  async function latestVersions(ws: Workspace, name: string, stages: string[] | undefined): Promise<ModelVersion[]> {
    const model = await getRow(ws, name);
    const wanted = stages && stages.length > 0 ? [...new Set(stages.map(canonicalStage))] : [...MODEL_VERSION_STAGES];
    const rows = await activeVersionsNewestFirst(db, model.id);
    const picked = wanted.map((stage) => rows.find((r) => r.current_stage === stage)).filter((r) => r !== undefined);
    return loadModelVersions(
      db,
      picked.sort((a, b) => a.version - b.version),
    );
  }

  async function setTag(ws: Workspace, name: string, key: string, value: string, actor?: string): Promise<void> {
    validateRegistryTag(key, value);
    const model = await getRow(ws, name);
    await runInTransaction(store, async (trx) => {
      await upsertRegisteredModelTag(trx, model.id, key, value);
      await recordEvent(trx, {
        workspaceId: ws.id,
        modelId: model.id,
        modelName: name,
        entity: 'registered_model_tag',
        action: 'set',
        actor,
        payload: { name, key, value },
      });
    });
  }

  async function deleteTag(ws: Workspace, name: string, key: string, actor?: string): Promise<void> {
    const model = await getRow(ws, name);
    await runInTransaction(store, async (trx) => {
      if (await deleteRegisteredModelTag(trx, model.id, key))
        await recordEvent(trx, {
          workspaceId: ws.id,
          modelId: model.id,
          modelName: name,
          entity: 'registered_model_tag',
          action: 'deleted',
          actor,
          payload: { name, key },
        });
    });
  }

  async function setAlias(ws: Workspace, name: string, alias: string, version: string, actor?: string): Promise<void> {
    validateAlias(alias);
    const v = parseVersion(version);
    const model = await getRow(ws, name);
    await runInTransaction(store, async (trx) => {
      if (!(await activeVersionExists(trx, model.id, v)))
        throw notFound(`Model Version (name=${name}, version=${version}) not found`);
      const previous = await findAliasVersion(trx, model.id, alias);
      await upsertRegisteredModelAlias(trx, model.id, alias, v);
      await touchRegisteredModel(trx, model.id, Date.now());
      await recordEvent(trx, {
        workspaceId: ws.id,
        modelId: model.id,
        modelName: name,
        version: v,
        entity: 'model_version_alias',
        action: 'created',
        actor,
        payload: { name, alias, version, previous_version: previous !== undefined ? String(previous) : null },
      });
    });
  }

  async function deleteAlias(ws: Workspace, name: string, alias: string, actor?: string): Promise<void> {
    const model = await getRow(ws, name);
    await runInTransaction(store, async (trx) => {
      if (await deleteRegisteredModelAlias(trx, model.id, alias))
        await recordEvent(trx, {
          workspaceId: ws.id,
          modelId: model.id,
          modelName: name,
          entity: 'model_version_alias',
          action: 'deleted',
          actor,
          payload: { name, alias },
        });
    });
  }

  async function versionByAlias(ws: Workspace, name: string, alias: string): Promise<ModelVersion> {
    const model = await getRow(ws, name);
    if (alias.toLowerCase() === 'latest') {
      const latest = await findLatestActiveVersion(db, model.id);
      if (!latest) throw invalidParam(`Registered model '${name}' has no versions.`);
      return (await loadModelVersions(db, [latest]))[0];
    }
    const version = await findAliasVersion(db, model.id, alias);
    // MLflow answers an unknown alias with INVALID_PARAMETER_VALUE (400), not 404.
    if (version === undefined) throw invalidParam(`Registered model alias ${alias} not found.`);
    const row = await findModelVersion(db, model.id, version);
    return (await loadModelVersions(db, row ? [row] : []))[0];
  }

  return {
    getRow,
    create,
    get: async (ws: Workspace, name: string) => present(await getRow(ws, name)),
    rename,
    update,
    remove,
    search,
    latestVersions,
    setTag,
    deleteTag,
    setAlias,
    deleteAlias,
    versionByAlias,
  };
}

export type RegisteredModelService = ReturnType<typeof createRegisteredModelService>;
