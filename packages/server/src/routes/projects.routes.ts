import { Projects } from '@trove/protocol';
import type { Caller } from '../auth/caller.ts';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';
import type { Workspace } from '../services/workspace.service.ts';

const P = '/projects/:project_id';

/** Trove's native project API (`/api/trove/v1/projects`, per workspace under `/w/<name>/…`) and the global name search. */
export function registerProjectRoutes(r: Router, { projects, nameSearch, auth }: Services): void {
  const visibleTo = async (caller: Caller, workspace: Workspace) => ({
    experiments: await auth.authorizer.visibleExperiments(caller, workspace),
    models: await auth.authorizer.visibleModels(caller, workspace),
  });
  r.native('GET', '/projects', {}, async ({ workspace }) => projects.list(workspace));
  r.native('POST', '/projects', Projects.CreateProject, async ({ workspace, input }) =>
    projects.create(workspace, input),
  );
  r.native('GET', P, {}, async ({ workspace, params, caller }) =>
    projects.get(workspace, params.project_id, await visibleTo(caller, workspace)),
  );
  r.native('PATCH', P, Projects.UpdateProject, async ({ workspace, params, input }) =>
    projects.update(workspace, params.project_id, input),
  );
  r.native('DELETE', P, {}, async ({ workspace, params }) => projects.remove(workspace, params.project_id));
  r.native('POST', `${P}/experiments`, Projects.AssignExperiment, async ({ workspace, params, input }) =>
    projects.addExperiment(workspace, params.project_id, input.experiment_id),
  );
  r.native('DELETE', `${P}/experiments/:experiment_id`, {}, async ({ workspace, params }) =>
    projects.removeExperiment(workspace, params.project_id, params.experiment_id),
  );
  r.native('POST', `${P}/registered-models`, Projects.AssignModel, async ({ workspace, params, input }) =>
    projects.addModel(workspace, params.project_id, input.name),
  );
  r.native('DELETE', `${P}/registered-models/:name`, {}, async ({ workspace, params }) =>
    projects.removeModel(workspace, params.project_id, params.name),
  );
  r.native('GET', '/search', Projects.NameSearch, async ({ workspace, input, caller }) =>
    nameSearch.search(workspace, input, await visibleTo(caller, workspace)),
  );
}
