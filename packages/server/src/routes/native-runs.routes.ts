import type { RpcRouter } from '../http/rpc.ts';
import type { Services } from '../services/index.ts';
import type { NativeLogBody } from '../services/native-log.service.ts';

/** Trove's native run API (`/api/trove/v1/runs/...`): nested, typed metadata. */
export function registerNativeRunRoutes(r: RpcRouter, { nativeLog }: Services): void {
  r.raw('POST', '/runs/:run_id/log', async (req, _reply, ws) => nativeLog.log(ws, (req.params as { run_id: string }).run_id, (req.body ?? {}) as NativeLogBody), {
    prefix: 'trove',
  });
  r.raw('GET', '/runs/:run_id/params', async (req, _reply, ws) => nativeLog.params(ws, (req.params as { run_id: string }).run_id), { prefix: 'trove' });
}
