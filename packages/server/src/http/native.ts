import { type Decoded, decodeBody, decodeQuery, type MessageSpec, stringifyJson, TroveError } from '@trove/protocol';
import type { Workspace } from '../services/workspace.service.ts';
import { actorOf, type HttpMethod, type RpcRouter } from './rpc.ts';

export interface NativeContext<M extends MessageSpec> {
  input: Decoded<M>;
  workspace: Workspace;
  params: Record<string, string>;
  actor?: string;
}

/**
 * Mounts a Trove-native JSON route under `/api/trove/v1` (and `/w/:workspace/...`), decoded with
 * the same message rules as the MLflow API: query string on GET, JSON object body otherwise.
 */
export function native<M extends MessageSpec>(r: RpcRouter, method: HttpMethod, path: string, spec: M, handler: (ctx: NativeContext<M>) => Promise<unknown>): void {
  r.raw(
    method,
    path,
    async (request, reply, workspace) => {
      let input: Decoded<M>;
      if (method === 'GET' || method === 'DELETE') {
        input = decodeQuery(spec, (request.query ?? {}) as Record<string, string | string[]>);
      } else {
        const body = request.body ?? {};
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new TroveError('MALFORMED_REQUEST', 'Request body must be a JSON object.');
        input = decodeBody(spec, body);
      }
      const result = await handler({ input, workspace, params: request.params as Record<string, string>, actor: actorOf(request) });
      return reply.type('application/json').send(stringifyJson(result ?? {}));
    },
    { prefix: 'trove' },
  );
}
