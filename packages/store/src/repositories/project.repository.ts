import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, ProjectTable } from '../schema.ts';

export type ProjectRow = Selectable<ProjectTable>;

export function findProject(db: Kysely<Database>, workspaceId: number, id: number): Promise<ProjectRow | undefined> {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findProjectByName(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
): Promise<ProjectRow | undefined> {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** Adds a project and returns its row. */
export function insertProject(db: Kysely<Database>, row: Omit<Insertable<ProjectTable>, 'id'>): Promise<ProjectRow> {
  return db.insertInto('projects').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Sets a project's name, description and update time. */
export async function updateProject(
  db: Kysely<Database>,
  projectId: number,
  patch: { name: string; description: string | null; last_update_time: number },
): Promise<void> {
  await db.updateTable('projects').set(patch).where('id', '=', projectId).execute();
}

/** A workspace's projects by name, each with how many experiments and registered models it holds. */
export function listProjects(db: Kysely<Database>, workspaceId: number) {
  return db
    .selectFrom('projects as p')
    .selectAll('p')
    .select((eb) => [
      eb
        .selectFrom('project_experiments as pe')
        .whereRef('pe.project_id', '=', 'p.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('experiment_count'),
      eb
        .selectFrom('project_models as pm')
        .whereRef('pm.project_id', '=', 'p.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('model_count'),
    ])
    .where('p.workspace_id', '=', workspaceId)
    .orderBy('p.name')
    .execute();
}

/** The experiments of a project (active and deleted), by name. */
export function projectExperiments(db: Kysely<Database>, projectId: number) {
  return db
    .selectFrom('project_experiments as pe')
    .innerJoin('experiments as e', 'e.experiment_id', 'pe.experiment_id')
    .selectAll('e')
    .where('pe.project_id', '=', projectId)
    .orderBy('e.name')
    .execute();
}

/** The registered models of a project, by name. */
export function projectModels(db: Kysely<Database>, projectId: number) {
  return db
    .selectFrom('project_models as pm')
    .innerJoin('registered_models as m', 'm.id', 'pm.model_id')
    .select(['m.name', 'm.description', 'm.last_update_time'])
    .where('pm.project_id', '=', projectId)
    .orderBy('m.name')
    .execute();
}

/** Puts an experiment in a project, moving it out of any other: membership is keyed by the experiment. */
export async function assignExperiment(db: Kysely<Database>, projectId: number, experimentId: number): Promise<void> {
  await db.deleteFrom('project_experiments').where('experiment_id', '=', experimentId).execute();
  await db.insertInto('project_experiments').values({ project_id: projectId, experiment_id: experimentId }).execute();
}

/** Puts a registered model in a project, moving it out of any other. */
export async function assignModel(db: Kysely<Database>, projectId: number, modelId: number): Promise<void> {
  await db.deleteFrom('project_models').where('model_id', '=', modelId).execute();
  await db.insertInto('project_models').values({ project_id: projectId, model_id: modelId }).execute();
}

/** Takes an experiment out of a project; false when it was not in it. */
export async function removeProjectExperiment(
  db: Kysely<Database>,
  projectId: number,
  experimentId: number,
): Promise<boolean> {
  const res = await db
    .deleteFrom('project_experiments')
    .where('project_id', '=', projectId)
    .where('experiment_id', '=', experimentId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Takes a registered model out of a project; false when it was not in it. */
export async function removeProjectModel(db: Kysely<Database>, projectId: number, modelId: number): Promise<boolean> {
  const res = await db
    .deleteFrom('project_models')
    .where('project_id', '=', projectId)
    .where('model_id', '=', modelId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Removes a project and its memberships (the experiments and models themselves stay). */
export async function deleteProject(db: Kysely<Database>, projectId: number): Promise<void> {
  await db.deleteFrom('project_experiments').where('project_id', '=', projectId).execute();
  await db.deleteFrom('project_models').where('project_id', '=', projectId).execute();
  await db.deleteFrom('projects').where('id', '=', projectId).execute();
}
