import { invalidParam } from '@trove/protocol';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/index.ts';

/** Trove's native workspace API (`/api/trove/v1/workspaces`). */
export function registerWorkspaceRoutes(app: FastifyInstance, { workspaces }: Services): void {
  app.get('/api/trove/v1/workspaces', async () => ({ workspaces: await workspaces.list() }));
  app.post('/api/trove/v1/workspaces', async (req) => {
    const body = (req.body ?? {}) as { name?: unknown; description?: unknown };
    if (typeof body.name !== 'string' || body.name === '') throw invalidParam("Missing value for required parameter 'name'.");
    if (body.description !== undefined && typeof body.description !== 'string') throw invalidParam("Parameter 'description' must be a string.");
    return { workspace: await workspaces.create(body.name, body.description) };
  });
  app.get('/api/trove/v1/workspaces/:name', async (req) => ({ workspace: await workspaces.resolve((req.params as { name: string }).name) }));
}
