import { alreadyExists, invalidParam, notFound, Projects, validateLength } from '@trove/protocol';
import {
  assignExperiment,
  assignModel,
  deleteProject,
  findProject,
  findProjectByName,
  insertProject,
  isVisible,
  listProjects,
  loadExperiments,
  type ProjectRow,
  projectExperiments,
  projectModels,
  removeProjectExperiment,
  removeProjectModel,
  runInTransaction,
  type Store,
  updateProject,
  type Visibility,
} from '@trove/store';
import type { ExperimentService } from './experiment.service.ts';
import type { RegisteredModelService } from './registered-model.service.ts';
import type { Workspace } from './workspace.service.ts';

/**
 * Projects group a workspace's experiments and registered models. Every lookup is scoped to the
 * request's workspace, so an experiment, model or project of another workspace is "not found".
 */
export function createProjectService(
  store: Store,
  experiments: ExperimentService,
  models: Pick<RegisteredModelService, 'getRow'>,
) {
  const { db } = store;

  async function getRow(ws: Workspace, projectId: string, within = db): Promise<ProjectRow> {
    if (!/^\d{1,15}$/.test(projectId))
      throw invalidParam(`Invalid project id '${projectId.slice(0, 64)}': it must be an integer.`);
    const row = await findProject(within, ws.id, Number(projectId));
    if (!row) throw notFound(`No project with id=${projectId} exists in workspace '${ws.name}'.`);
    return row;
  }

  function checkName(name: string): string {
    const trimmed = name.trim();
    if (trimmed === '') throw invalidParam('Project name must not be empty.');
    validateLength(trimmed, Projects.PROJECT_NAME_MAX_LENGTH, 'project name');
    return trimmed;
  }

  async function requireFreeName(ws: Workspace, name: string, within = db): Promise<void> {
    if (await findProjectByName(within, ws.id, name))
      throw alreadyExists(`Project '${name}' already exists in workspace '${ws.name}'.`);
  }

  async function create(ws: Workspace, input: { name: string; description?: string }) {
    const name = checkName(input.name);
    if (input.description !== undefined)
      validateLength(input.description, Projects.PROJECT_DESCRIPTION_MAX_LENGTH, 'project description');
    const now = Date.now();
    const row = await runInTransaction(store, async (tx) => {
      await requireFreeName(ws, name, tx);
      return insertProject(tx, {
        workspace_id: ws.id,
        name,
        description: input.description || null,
        creation_time: now,
        last_update_time: now,
      });
    });
    return { project: present({ ...row, experiment_count: 0, model_count: 0 }) };
  }

  async function list(ws: Workspace) {
    const rows = await listProjects(db, ws.id);
    return { projects: rows.map(present) };
  }

  /** `visible`: the experiments and models the caller may read; the others are left out of the answer. */
  async function get(
    ws: Workspace,
    projectId: string,
    visible: { experiments?: Visibility<number>; models?: Visibility<string> } = {},
  ) {
    const row = await getRow(ws, projectId);
    const [allExps, allMods] = await Promise.all([projectExperiments(db, row.id), projectModels(db, row.id)]);
    const exps = allExps.filter((e) => isVisible(visible.experiments, e.experiment_id));
    const mods = allMods.filter((m) => isVisible(visible.models, m.name));
    return {
      project: present({ ...row, experiment_count: exps.length, model_count: mods.length }),
      experiments: await loadExperiments(db, exps),
      registered_models: mods.map((m) => ({
        name: m.name,
        ...(m.description ? { description: m.description } : {}),
        last_updated_timestamp: Number(m.last_update_time),
      })),
    };
  }

  async function update(ws: Workspace, projectId: string, input: { name?: string; description?: string }) {
    const name = input.name === undefined ? undefined : checkName(input.name);
    if (input.description !== undefined)
      validateLength(input.description, Projects.PROJECT_DESCRIPTION_MAX_LENGTH, 'project description');
    await runInTransaction(store, async (tx) => {
      const row = await getRow(ws, projectId, tx);
      if (name !== undefined && name !== row.name) await requireFreeName(ws, name, tx);
      await updateProject(tx, row.id, {
        name: name ?? row.name,
        description: input.description === undefined ? row.description : input.description || null,
        last_update_time: Date.now(),
      });
    });
    return { project: (await get(ws, projectId)).project };
  }

  async function remove(ws: Workspace, projectId: string) {
    const row = await getRow(ws, projectId);
    await runInTransaction(store, (tx) => deleteProject(tx, row.id));
    return {};
  }

  async function addExperiment(ws: Workspace, projectId: string, experimentId: string) {
    const project = await getRow(ws, projectId);
    const exp = await experiments.getRow(ws, experimentId);
    await runInTransaction(store, (tx) => assignExperiment(tx, project.id, Number(exp.experiment_id)));
    return {};
  }

  async function removeExperiment(ws: Workspace, projectId: string, experimentId: string) {
    const project = await getRow(ws, projectId);
    const exp = await experiments.getRow(ws, experimentId);
    if (!(await removeProjectExperiment(db, project.id, Number(exp.experiment_id))))
      throw notFound(`Experiment ${experimentId} is not in project '${project.name}'.`);
    return {};
  }

  async function addModel(ws: Workspace, projectId: string, modelName: string) {
    const project = await getRow(ws, projectId);
    const model = await models.getRow(ws, modelName);
    await runInTransaction(store, (tx) => assignModel(tx, project.id, Number(model.id)));
    return {};
  }

  async function removeModel(ws: Workspace, projectId: string, modelName: string) {
    const project = await getRow(ws, projectId);
    const model = await models.getRow(ws, modelName);
    if (!(await removeProjectModel(db, project.id, Number(model.id))))
      throw notFound(`Registered model '${modelName}' is not in project '${project.name}'.`);
    return {};
  }

  return { create, list, get, update, remove, addExperiment, removeExperiment, addModel, removeModel };
}

export type ProjectService = ReturnType<typeof createProjectService>;

function present(
  r: ProjectRow & { experiment_count: number | bigint | string | null; model_count: number | bigint | string | null },
) {
  return {
    project_id: String(r.id),
    name: r.name,
    ...(r.description ? { description: r.description } : {}),
    creation_timestamp: Number(r.creation_time),
    last_updated_timestamp: Number(r.last_update_time),
    experiment_count: Number(r.experiment_count ?? 0),
    model_count: Number(r.model_count ?? 0),
  };
}
