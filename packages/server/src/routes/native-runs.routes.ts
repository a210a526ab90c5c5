import { defineMessage, str } from '@trove/protocol';
import { native } from '../http/native.ts';
import type { RpcRouter } from '../http/rpc.ts';
import type { Services } from '../services/index.ts';
import type { NativeLogBody } from '../services/native-log.service.ts';

const RunModel = defineMessage({ path: str() });

/** Trove's native run API (`/api/trove/v1/runs/...`): nested, typed metadata, a logged model's MLmodel. */
export function registerNativeRunRoutes(r: RpcRouter, { nativeLog, modelPage }: Services): void {
  r.raw('POST', '/runs/:run_id/log', async (req, _reply, ws) => nativeLog.log(ws, (req.params as { run_id: string }).run_id, (req.body ?? {}) as NativeLogBody), {
    prefix: 'trove',
  });
  r.raw('GET', '/runs/:run_id/params', async (req, _reply, ws) => nativeLog.params(ws, (req.params as { run_id: string }).run_id), { prefix: 'trove' });
  // The artifacts browser's model view: a run-logged model's MLmodel, parsed like the version page's.
  native(r, 'GET', '/runs/:run_id/mlmodel', RunModel, async ({ workspace, params, input }) => modelPage.forRunArtifact(workspace, params.run_id, input.path ?? ''));
}
