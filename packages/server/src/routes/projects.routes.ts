import { Projects } from '@trove/protocol';
import { native } from '../http/native.ts';
import type { RpcRouter } from '../http/rpc.ts';
import type { Services } from '../services/index.ts';

const P = '/projects/:project_id';

/** Trove's native project API (`/api/trove/v1/projects`, per workspace under `/w/<name>/…`) and the global name search. */
export function registerProjectRoutes(r: RpcRouter, { projects, nameSearch }: Services): void {
  native(r, 'GET', '/projects', {}, async ({ workspace }) => projects.list(workspace));
  native(r, 'POST', '/projects', Projects.CreateProject, async ({ workspace, input }) => projects.create(workspace, input));
  native(r, 'GET', P, {}, async ({ workspace, params }) => projects.get(workspace, params.project_id));
  native(r, 'PATCH', P, Projects.UpdateProject, async ({ workspace, params, input }) => projects.update(workspace, params.project_id, input));
  native(r, 'DELETE', P, {}, async ({ workspace, params }) => projects.remove(workspace, params.project_id));
  native(r, 'POST', `${P}/experiments`, Projects.AssignExperiment, async ({ workspace, params, input }) =>
    projects.addExperiment(workspace, params.project_id, input.experiment_id),
  );
  native(r, 'DELETE', `${P}/experiments/:experiment_id`, {}, async ({ workspace, params }) => projects.removeExperiment(workspace, params.project_id, params.experiment_id));
  native(r, 'POST', `${P}/registered-models`, Projects.AssignModel, async ({ workspace, params, input }) => projects.addModel(workspace, params.project_id, input.name));
  native(r, 'DELETE', `${P}/registered-models/:name`, {}, async ({ workspace, params }) => projects.removeModel(workspace, params.project_id, params.name));
  native(r, 'GET', '/search', Projects.NameSearch, async ({ workspace, input }) => nameSearch.search(workspace, input));
}
