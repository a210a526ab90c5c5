import { defineMessage, notFound, str } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

const CreateWorkspace = defineMessage({ name: str(true), description: str() });

/**
 * Trove's native workspace API (`/api/trove/v1/workspaces`): server-wide, so not under `/w/<name>`.
 * A caller sees the workspaces they have a role in (or the default role gives them); with auth off, all.
 */
export function registerWorkspaceRoutes(r: Router, { workspaces, auth }: Services): void {
  const route = { api: 'trove-server', spec: {} } as const;
  r.json({ ...route, method: 'GET', path: '/workspaces' }, async ({ caller }) => {
    const all = await workspaces.list();
    const levels = await Promise.all(all.map((ws) => auth.authorizer.workspaceLevel(caller, ws)));
    return { workspaces: all.filter((_, i) => levels[i] > 0) };
  });
  r.json({ ...route, method: 'POST', path: '/workspaces', spec: CreateWorkspace }, async ({ input }) => ({
    workspace: await workspaces.create(input.name, input.description),
  }));
  r.json({ ...route, method: 'GET', path: '/workspaces/:name' }, async ({ params, caller }) => {
    const ws = await workspaces.resolve(params.name);
    if ((await auth.authorizer.workspaceLevel(caller, ws)) === 0)
      throw notFound(`Workspace '${params.name}' does not exist.`);
    return { workspace: ws };
  });
}
