import { defineMessage, str } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import { createGatewayProxy } from '../services/gateway-proxy.ts';
import type { Services } from '../services/index.ts';
import { readPromptlabRequest } from '../services/promptlab-run.service.ts';

/**
 * The two endpoints behind MLflow's prompt lab: record a prompt run, and reach the AI gateway.
 * Both read their arguments as MLflow does (the prompt-lab reader in its words, the proxy's
 * arguments passed on), so their specs are empty: the router checks the envelope only, and the
 * prompt run's `experiment_id`, which its access check reads.
 */
const PromptlabRun = defineMessage({ experiment_id: str() });

export function registerPromptlabRoutes(r: Router, services: Services, deploymentsTarget: string | undefined): void {
  const args = (b: unknown): Record<string, unknown> =>
    b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
  r.rpc('POST', '/runs/create-promptlab-run', PromptlabRun, async ({ workspace, request }) => ({
    run: await services.promptlabRuns.create(workspace, readPromptlabRequest(args(request.body))),
  }));
  const forward = createGatewayProxy(deploymentsTarget);
  r.rpc('GET', '/gateway-proxy', {}, async ({ request }) => forward('GET', args(request.query)));
  r.rpc('POST', '/gateway-proxy', {}, async ({ request }) => forward('POST', args(request.body)));
}
