import { defineMessage, str } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

const CreateWorkspace = defineMessage({ name: str(true), description: str() });

/** Trove's native workspace API (`/api/trove/v1/workspaces`): server-wide, so not under `/w/<name>`. */
export function registerWorkspaceRoutes(r: Router, { workspaces }: Services): void {
  const route = { api: 'trove-server', spec: {} } as const;
  r.json({ ...route, method: 'GET', path: '/workspaces' }, async () => ({ workspaces: await workspaces.list() }));
  r.json({ ...route, method: 'POST', path: '/workspaces', spec: CreateWorkspace }, async ({ input }) => ({
    workspace: await workspaces.create(input.name, input.description),
  }));
  r.json({ ...route, method: 'GET', path: '/workspaces/:name' }, async ({ params }) => ({
    workspace: await workspaces.resolve(params.name),
  }));
}
