import {
  type Experiment,
  invalidParam,
  LIMITS,
  notFound,
  readKeyValues,
  TroveError,
  type ViewType,
  validateKey,
  validateLength,
} from '@trove/protocol';
import {
  deleteExperimentTag,
  type ExperimentRow,
  findExperiment,
  findExperimentByName,
  findExperimentsInOrder,
  insertExperiment,
  insertExperimentTags,
  loadExperiments,
  noteAuditBefore,
  renameExperiment,
  restoreExperimentWithRuns,
  runInTransaction,
  type Store,
  searchExperiments,
  setExperimentArtifactLocation,
  softDeleteExperimentWithRuns,
  upsertExperimentTag,
  type Visibility,
} from '@trove/store';
import { recordedLocation } from './local-artifact-root.ts';
import { joinUri, type Workspace } from './workspace.service.ts';

const ACTIVE = 'active';
const DELETED = 'deleted';

export function parseExperimentId(id: string): number {
  if (!/^\d{1,18}$/.test(id)) throw invalidParam(`Invalid experiment ID: '${id}'. Experiment IDs are integers.`);
  return Number(id);
}

export function createExperimentService(store: Store, defaultArtifactRoot: string) {
  const { db } = store;

  /** Resolves an experiment id inside a workspace; MLflow's "0" means the workspace's Default. */
  async function getRow(ws: Workspace, id: string): Promise<ExperimentRow> {
    const numeric = parseExperimentId(id);
    const target = numeric === 0 ? ws.default_experiment_id : numeric;
    const row = await findExperiment(db, target);
    if (!row || row.workspace_id !== ws.id) throw notFound(`No Experiment with id=${id} exists`);
    return row;
  }

  async function getActiveRow(ws: Workspace, id: string, onDeleted: () => Error): Promise<ExperimentRow> {
    const row = await getRow(ws, id);
    if (row.lifecycle_stage !== ACTIVE) throw onDeleted();
    return row;
  }

  async function present(row: ExperimentRow): Promise<Experiment> {
    return (await loadExperiments(db, [row]))[0];
  }

  async function create(
    ws: Workspace,
    input: { name: string; artifact_location?: string; tags?: Record<string, unknown>[] },
  ): Promise<string> {
    validateLength(input.name, LIMITS.experimentNameLength, 'experiment name');
    const tags = readKeyValues(input.tags, 'tags');
    for (const t of tags) {
      validateKey(t.key, 'tag key');
      validateLength(t.value, LIMITS.experimentTagValueLength, `tag value for '${t.key}'`);
    }
    if (input.artifact_location) validateArtifactLocation(input.artifact_location);
    const location = input.artifact_location ? recordedLocation(input.artifact_location, process.cwd()) : undefined;
    const now = Date.now();
    return runInTransaction(store, async (tx) => {
      if (await findExperimentByName(tx, ws.id, input.name)) {
        throw new TroveError('RESOURCE_ALREADY_EXISTS', `Experiment '${input.name}' already exists.`);
      }
      const id = await insertExperiment(tx, {
        workspaceId: ws.id,
        name: input.name,
        artifactLocation: location ?? '',
        now,
      });
      // The default location names the experiment's id, known only once it is inserted.
      if (!location) await setExperimentArtifactLocation(tx, id, joinUri(defaultArtifactRoot, String(id)));
      const unique = new Map(tags.map((t) => [t.key, t.value]));
      await insertExperimentTags(
        tx,
        id,
        [...unique].map(([key, value]) => ({ key, value })),
      );
      return String(id);
    });
  }

  async function get(ws: Workspace, id: string): Promise<Experiment> {
    return present(await getRow(ws, id));
  }

  async function getByName(ws: Workspace, name: string): Promise<Experiment> {
    const row = await findExperimentByName(db, ws.id, name);
    if (!row) throw notFound(`Could not find experiment with name '${name}'`);
    return present(row);
  }

  async function search(
    ws: Workspace,
    input: {
      max_results?: number | bigint;
      page_token?: string;
      filter?: string;
      order_by?: string[];
      view_type?: ViewType;
    },
    visible?: Visibility<number>,
  ) {
    const max = input.max_results === undefined ? 1000 : Number(input.max_results);
    if (!(max >= 1 && max <= LIMITS.searchExperimentsMaxResults)) {
      throw invalidParam(
        `Invalid value ${max} for parameter 'max_results' supplied. It must be at most ${LIMITS.searchExperimentsMaxResults}, and at least 1.`,
      );
    }
    const found = await searchExperiments(store, {
      workspaceId: ws.id,
      filter: input.filter,
      viewType: input.view_type ?? 'ACTIVE_ONLY',
      maxResults: max,
      orderBy: input.order_by ?? [],
      pageToken: input.page_token,
      visible,
    });
    if (found.experimentIds.length === 0) return { experiments: [], nextPageToken: found.nextPageToken };
    const rows = await findExperimentsInOrder(db, found.experimentIds);
    return { experiments: await loadExperiments(db, rows), nextPageToken: found.nextPageToken };
  }

  async function remove(ws: Workspace, id: string): Promise<void> {
    const row = await getActiveRow(ws, id, () =>
      notFound(`Experiment with id=${id} is not active, it cannot be deleted`),
    );
    if (row.experiment_id === ws.default_experiment_id) {
      throw invalidParam(`Cannot delete the default experiment '${id}'. This is a reserved experiment.`);
    }
    const now = Date.now();
    await runInTransaction(store, (tx) => softDeleteExperimentWithRuns(tx, row.experiment_id, now));
  }

  async function restore(ws: Workspace, id: string): Promise<void> {
    const row = await getRow(ws, id);
    if (row.lifecycle_stage !== DELETED)
      throw notFound(`Cannot restore an active experiment. Experiment with id=${id} is active`);
    const now = Date.now();
    await runInTransaction(store, (tx) => restoreExperimentWithRuns(tx, row.experiment_id, now));
  }

  async function rename(ws: Workspace, id: string, newName: string): Promise<void> {
    validateLength(newName, LIMITS.experimentNameLength, 'experiment name');
    // MLflow answers INVALID_STATE (500) here; a deterministic client fault must be 4xx (§1.6).
    const row = await getActiveRow(ws, id, () => invalidParam(`Cannot rename a non-active experiment with id=${id}.`));
    noteAuditBefore({ name: row.name });
    await runInTransaction(store, async (tx) => {
      const clash = await findExperimentByName(tx, ws.id, newName);
      if (clash && clash.experiment_id !== row.experiment_id)
        throw new TroveError('RESOURCE_ALREADY_EXISTS', `Experiment '${newName}' already exists.`);
      await renameExperiment(tx, row.experiment_id, newName, Date.now());
    });
  }

  async function setTag(ws: Workspace, id: string, key: string, value: string): Promise<void> {
    validateKey(key, 'tag key');
    validateLength(value, LIMITS.experimentTagValueLength, `tag value for '${key}'`);
    const row = await getActiveRow(ws, id, () =>
      invalidParam(`The experiment ${id} must be in the 'active' state. Current state is deleted.`),
    );
    await upsertExperimentTag(db, row.experiment_id, key, value);
  }

  async function deleteTag(ws: Workspace, id: string, key: string): Promise<void> {
    const row = await getActiveRow(ws, id, () =>
      invalidParam(`The experiment ${id} must be in the 'active' state. Current state is deleted.`),
    );
    if (!(await deleteExperimentTag(db, row.experiment_id, key)))
      throw notFound(`No tag with name: ${key} in experiment with id ${id}`);
  }

  return { getRow, getActiveRow, create, get, getByName, search, remove, restore, rename, setTag, deleteTag };
}

export type ExperimentService = ReturnType<typeof createExperimentService>;

function validateArtifactLocation(location: string): void {
  validateLength(location, LIMITS.artifactLocationLength, 'artifact_location');
  if (location.includes('?') || location.includes('#'))
    throw invalidParam(`Invalid artifact_location '${location}': URL parameters and fragments are not allowed.`);
  if (location.split(/[\\/]/).includes('..'))
    throw invalidParam(`Invalid artifact_location '${location}': '..' is not allowed.`);
}
