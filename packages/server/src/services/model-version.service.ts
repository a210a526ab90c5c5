import { mkdir } from 'node:fs/promises';
import { isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { resolveUnderRoot } from '@trove/artifacts';
import {
  invalidParam,
  LIMITS,
  type ModelVersion,
  notFound,
  readKeyValues,
  validateKey,
  validateLength,
} from '@trove/protocol';
import {
  appendLoggedModelVersionTag,
  archiveOtherVersionsInStage,
  cancelVersionRequests,
  deleteModelVersionTag,
  findActiveVersion,
  findLoggedModel,
  insertModelVersion,
  insertModelVersionTags,
  loadModelVersions,
  type ModelVersionRow,
  nextModelVersionNumber,
  noteAuditBefore,
  runInTransaction,
  type Store,
  searchModelVersions,
  setModelVersionDescription,
  setModelVersionStage,
  softDeleteModelVersion,
  touchRegisteredModel,
  upsertModelVersionTag,
  type Visibility,
} from '@trove/store';
import type { ServerConfig } from '../config.ts';
import { proxiedKey } from './artifact.service.ts';
import { isInside, localArtifactPath } from './local-artifact-root.ts';
import { checkModelSource } from './model-source.ts';
import { canonicalStage, parseVersion, type RegisteredModelService } from './registered-model.service.ts';
import { type RegistryEvent, recordEvent } from './registry-events.ts';
import type { RunService } from './run.service.ts';
import type { Workspace } from './workspace.service.ts';

function validateTag(key: string, value: string): void {
  validateKey(key, 'tag key');
  validateLength(value, LIMITS.registryTagValueLength, `tag value for '${key}'`);
}

/** An event about one model version (the common shape of this service's activity entries). */
function versionEvent(
  ws: Workspace,
  row: ModelVersionRow,
  action: string,
  actor: string | undefined,
  payload: Record<string, unknown>,
  entity = 'model_version',
): RegistryEvent {
  return {
    workspaceId: ws.id,
    modelId: row.model_id,
    modelName: row.name,
    version: row.version,
    entity,
    action,
    actor,
    payload,
  };
}

export function createModelVersionService(
  store: Store,
  config: ServerConfig,
  models: RegisteredModelService,
  runs: RunService,
) {
  const { db } = store;

  async function getRow(ws: Workspace, name: string, version: string): Promise<ModelVersionRow> {
    const v = parseVersion(version);
    const model = await models.getRow(ws, name);
    const row = await findActiveVersion(db, model.id, v);
    if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
    return row;
  }

  const present = async (row: ModelVersionRow): Promise<ModelVersion> => (await loadModelVersions(db, [row]))[0];

  /**
   * Local sources must lie inside the artifact directory of the run (or logged model) they name:
   * a local root is compared as a path, a proxied one through the artifacts destination.
   */
  async function checkLocalSource(source: string, path: string, rootUri: string | undefined): Promise<void> {
    const refuse = () =>
      invalidParam(
        `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
      );
    const localRoot = rootUri === undefined ? undefined : localArtifactPath(rootUri);
    if (localRoot !== undefined) {
      if (!isAbsolute(path) || !isInside(resolvePath(localRoot), resolvePath(path))) throw refuse();
      return;
    }
    const key = rootUri === undefined ? undefined : proxiedKey(rootUri);
    if (key === undefined || !path.startsWith('/')) throw refuse();
    const root = `${config.artifactsDestination}/${key}`;
    const rel = relative(root, path);
    if (rel.startsWith('..') || rel.startsWith('/')) throw refuse();
    await mkdir(config.artifactsDestination, { recursive: true });
    await resolveUnderRoot(config.artifactsDestination, rel === '' ? key : `${key}/${rel}`);
  }

  /** `models:/<name>/<version>` names another version: its download location is this one's (MLflow's copy_model_version). */
  async function storageOfModelUri(ws: Workspace, source: string): Promise<string> {
    const m = /^models:\/([^/]+)\/(\d+)$/.exec(source);
    if (!m)
      throw invalidParam(
        `Unable to fetch model from model URI source artifact location '${source}'. Only models:/<name>/<version> can be a source.`,
      );
    return downloadUri(ws, decodeURIComponent(m[1]), m[2]).catch((e: Error) => {
      throw invalidParam(
        `Unable to fetch model from model URI source artifact location '${source}'. Error: ${e.message}`,
      );
    });
  }

  async function create(
    ws: Workspace,
    input: {
      name: string;
      source: string;
      run_id?: string;
      tags?: Record<string, unknown>[];
      run_link?: string;
      description?: string;
      model_id?: string;
    },
    actor?: string,
  ): Promise<ModelVersion> {
    const tags = readKeyValues(input.tags, 'tags');
    for (const t of tags) validateTag(t.key, t.value);
    const model = await models.getRow(ws, input.name);
    const source = checkModelSource(input.source, config.modelSourceRegex);
    let runId = input.run_id || null;
    let loggedModelId = input.model_id || null;
    let storage: string | null = null;
    if (source.kind === 'logged-model') loggedModelId = source.modelId;
    if (loggedModelId) {
      const lm = await findLoggedModel(db, loggedModelId);
      if (!lm || lm.workspace_id !== ws.id) throw notFound(`Logged model with ID '${loggedModelId}' not found.`);
      storage = lm.artifact_uri;
      runId ??= lm.source_run_id;
    }
    if (source.kind === 'runs') {
      // Stored as given, as MLflow does, whether or not the run exists (here); where it does, Trove
      // also keeps the location it names for the model page and lineage.
      const run = await runs.getRow(ws, source.runId).catch(() => undefined);
      if (run) storage = source.path ? `${run.artifact_uri}/${source.path}` : run.artifact_uri;
    }
    if (source.kind === 'model-version') storage = await storageOfModelUri(ws, input.source);
    if (source.kind === 'local') {
      const rootUri = loggedModelId
        ? (storage ?? undefined)
        : runId
          ? (await runs.getRow(ws, runId)).artifact_uri
          : undefined;
      await checkLocalSource(input.source, source.path, rootUri);
    }
    const now = Date.now();
    const version = await runInTransaction(store, async (trx) => {
      // The counter row stays locked until commit: concurrent creates get 1..N exactly once.
      const v = await nextModelVersionNumber(trx, model.id, now);
      await insertModelVersion(trx, {
        model_id: model.id,
        version: v,
        creation_time: now,
        last_update_time: now,
        description: input.description || null,
        user_id: actor ?? null,
        current_stage: 'None',
        source: input.source,
        storage_location: storage,
        run_id: runId,
        run_link: input.run_link || null,
        status_message: null,
        logged_model_id: loggedModelId,
        deleted: 0,
      });
      await insertModelVersionTags(trx, model.id, v, new Map(tags.map((t) => [t.key, t.value])));
      // Read-modify-write of a JSON list, row locked: concurrent registrations append, not overwrite.
      if (loggedModelId)
        await appendLoggedModelVersionTag(trx, loggedModelId, { name: input.name, version: String(v) });
      await recordEvent(trx, {
        workspaceId: ws.id,
        modelId: model.id,
        modelName: input.name,
        version: v,
        entity: 'model_version',
        action: 'created',
        actor,
        payload: {
          name: input.name,
          version: String(v),
          source: input.source,
          run_id: runId ?? '',
          tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
          description: input.description ?? '',
        },
      });
      return v;
    });
    return present(await getRow(ws, input.name, String(version)));
  }

  async function update(
    ws: Workspace,
    name: string,
    version: string,
    description: string | undefined,
    actor?: string,
  ): Promise<ModelVersion> {
    const row = await getRow(ws, name, version);
    noteAuditBefore({ description: row.description ?? '' });
    if (description !== undefined) {
      await runInTransaction(store, async (trx) => {
        await setModelVersionDescription(trx, row.model_id, row.version, description, Date.now());
        await recordEvent(trx, versionEvent(ws, row, 'updated', actor, { description }));
      });
    }
    return present(await getRow(ws, name, version));
  }

  async function transition(
    ws: Workspace,
    name: string,
    version: string,
    stage: string,
    archiveExisting: boolean,
    actor?: string,
  ): Promise<ModelVersion> {
    const target = canonicalStage(stage);
    if (archiveExisting && target !== 'Staging' && target !== 'Production') {
      throw invalidParam(
        `Model version transition cannot archive existing model versions because '${target}' is not an Active stage. Valid stages are Staging and Production.`,
      );
    }
    const row = await getRow(ws, name, version);
    noteAuditBefore({ stage: row.current_stage });
    const now = Date.now();
    await runInTransaction(store, async (trx) => {
      if (archiveExisting) await archiveOtherVersionsInStage(trx, row.model_id, target, row.version, now);
      await setModelVersionStage(trx, row.model_id, row.version, target, now);
      await touchRegisteredModel(trx, row.model_id, now);
      await recordEvent(
        trx,
        versionEvent(ws, row, 'stage_transitioned', actor, {
          name,
          version,
          from_stage: row.current_stage,
          to_stage: target,
          archive_existing_versions: archiveExisting,
        }),
      );
    });
    return present(await getRow(ws, name, version));
  }

  async function remove(ws: Workspace, name: string, version: string, actor?: string): Promise<void> {
    const row = await getRow(ws, name, version);
    const now = Date.now();
    await runInTransaction(store, async (trx) => {
      await softDeleteModelVersion(trx, row.model_id, row.version, now);
      await cancelVersionRequests(trx, row.model_id, row.version, now);
      await touchRegisteredModel(trx, row.model_id, now);
      await recordEvent(trx, versionEvent(ws, row, 'deleted', actor, { name, version }));
    });
  }

  async function search(
    ws: Workspace,
    input: { filter?: string; max_results?: number | bigint; order_by?: string[]; page_token?: string },
    visible?: Visibility<string>,
  ) {
    const max = input.max_results === undefined ? 10_000 : Number(input.max_results);
    if (!(max >= 1 && max <= LIMITS.searchModelVersionsMax))
      throw invalidParam(
        `Invalid value for max_results. It must be at most ${LIMITS.searchModelVersionsMax}, but got value ${max}`,
      );
    const found = await searchModelVersions(store, {
      workspaceId: ws.id,
      filter: input.filter,
      maxResults: max,
      orderBy: input.order_by ?? [],
      pageToken: input.page_token,
      visible,
    });
    return { versions: await loadModelVersions(db, found.rows), nextPageToken: found.nextPageToken };
  }

  async function downloadUri(ws: Workspace, name: string, version: string): Promise<string> {
    const row = await getRow(ws, name, version);
    // MLflow answers the source itself, except for models:/ sources, which it resolved at creation.
    return row.source.startsWith('models:') ? (row.storage_location ?? row.source) : row.source;
  }

  async function setTag(
    ws: Workspace,
    name: string,
    version: string,
    key: string,
    value: string,
    actor?: string,
  ): Promise<void> {
    validateTag(key, value);
    const row = await getRow(ws, name, version);
    await runInTransaction(store, async (trx) => {
      await upsertModelVersionTag(trx, row.model_id, row.version, key, value);
      await recordEvent(trx, versionEvent(ws, row, 'set', actor, { name, version, key, value }, 'model_version_tag'));
    });
  }

  async function deleteTag(ws: Workspace, name: string, version: string, key: string, actor?: string): Promise<void> {
    const row = await getRow(ws, name, version);
    await runInTransaction(store, async (trx) => {
      if (await deleteModelVersionTag(trx, row.model_id, row.version, key))
        await recordEvent(trx, versionEvent(ws, row, 'deleted', actor, { name, version, key }, 'model_version_tag'));
    });
  }

  return {
    getRow,
    create,
    get: async (ws: Workspace, name: string, version: string) => present(await getRow(ws, name, version)),
    update,
    transition,
    remove,
    search,
    downloadUri,
    setTag,
    deleteTag,
  };
}

export type ModelVersionService = ReturnType<typeof createModelVersionService>;
