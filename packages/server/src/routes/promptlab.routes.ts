import { stringifyJson } from '@trove/protocol';
import type { RpcRouter } from '../http/rpc.ts';
import { createGatewayProxy } from '../services/gateway-proxy.ts';
import type { Services } from '../services/index.ts';
import { readPromptlabRequest } from '../services/promptlab-run.service.ts';

/** The two endpoints behind MLflow's prompt lab: record a prompt run, and reach the AI gateway. */
export function registerPromptlabRoutes(router: RpcRouter, services: Services, deploymentsTarget: string | undefined): void {
  const body = (b: unknown): Record<string, unknown> => (b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {});
  router.raw('POST', '/runs/create-promptlab-run', async (req, reply, ws) => {
    const run = await services.promptlabRuns.create(ws, readPromptlabRequest(body(req.body)));
    return reply.type('application/json').send(stringifyJson({ run }));
  });
  const forward = createGatewayProxy(deploymentsTarget);
  router.raw('GET', '/gateway-proxy', async (req, reply) => reply.type('application/json').send(JSON.stringify(await forward('GET', body(req.query)))));
  router.raw('POST', '/gateway-proxy', async (req, reply) => reply.type('application/json').send(JSON.stringify(await forward('POST', body(req.body)))));
}
