import { type Decoded, decodeBody, decodeQuery, type MessageSpec, parseJson, stringifyJson, TroveError } from '@trove/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Workspace } from '../services/workspace.service.ts';
import { bodySource } from './body-source.ts';
import { RawJson } from './raw-json.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/** What a handler sees: the decoded request, the workspace it addresses, path params. */
export interface RpcContext<M extends MessageSpec> {
  input: Decoded<M>;
  workspace: Workspace;
  params: Record<string, string>;
  request: FastifyRequest;
  /** Who is asking, when known (basic-auth user or `X-Trove-User`); recorded in activity logs. */
  actor?: string;
}

export type RpcHandler<M extends MessageSpec> = (ctx: RpcContext<M>) => Promise<unknown> | unknown;

/** One mounted RPC, as registered (for tests that sweep every endpoint). */
export interface RpcRoute {
  method: HttpMethod;
  path: string;
  version: '2.0' | '3.0';
  spec: MessageSpec;
}

export interface RpcRouter {
  /** Every RPC mounted so far. */
  readonly catalog: RpcRoute[];
  /** Mounts an MLflow RPC at `/api/<v>/mlflow<path>`, its `/ajax-api` twin and the `/w/:workspace` variants. */
  rpc<M extends MessageSpec>(method: HttpMethod, path: string, spec: M, handler: RpcHandler<M>, version?: '2.0' | '3.0'): void;
  /** Mounts a route under every API prefix with full control of the reply (artifacts, files). */
  raw(
    method: HttpMethod,
    path: string,
    handler: (req: FastifyRequest, reply: FastifyReply, workspace: Workspace) => Promise<unknown>,
    options?: { prefix?: 'mlflow' | 'mlflow-artifacts' | 'trove'; version?: '2.0' | '3.0'; bodyLimit?: number },
  ): void;
}

type WorkspaceResolver = (name: string | undefined) => Promise<Workspace>;

export function prefixesFor(kind: 'mlflow' | 'mlflow-artifacts' | 'trove', version: string): string[] {
  if (kind === 'trove') return ['/api/trove/v1', '/w/:workspace/api/trove/v1'];
  const base = [`/api/${version}/${kind}`, `/ajax-api/${version}/${kind}`];
  return [...base, ...base.map((p) => `/w/:workspace${p}`)];
}

export function createRpcRouter(app: FastifyInstance, resolveWorkspace: WorkspaceResolver): RpcRouter {
  const catalog: RpcRoute[] = [];
  return {
    catalog,
    rpc(method, path, spec, handler, version = '2.0') {
      catalog.push({ method, path, version, spec });
      for (const prefix of prefixesFor('mlflow', version)) {
        app.route({
          method,
          url: prefix + path,
          handler: async (request, reply) => {
            const input = readInput(spec, request);
            const params = request.params as Record<string, string>;
            const workspace = await resolveWorkspace(params.workspace);
            const result = await handler({ input, workspace, params, request, actor: actorOf(request) });
            return reply.type('application/json').send(result instanceof RawJson ? result.text : stringifyJson(result ?? {}));
          },
        });
      }
    },
    raw(method, path, handler, options = {}) {
      for (const prefix of prefixesFor(options.prefix ?? 'mlflow', options.version ?? '2.0')) {
        app.route({
          method,
          url: prefix + path,
          bodyLimit: options.bodyLimit,
          handler: async (request, reply) => {
            const workspace = await resolveWorkspace((request.params as Record<string, string>).workspace);
            return handler(request, reply, workspace);
          },
        });
      }
    },
  };
}

function readInput<M extends MessageSpec>(spec: M, request: FastifyRequest): Decoded<M> {
  const query = request.query as Record<string, string | string[]>;
  if (request.method === 'GET' && query && Object.keys(query).length > 0) return decodeQuery(spec, query);
  let body: unknown = request.body ?? {};
  // Very old clients double-encode the body as a JSON string.
  if (typeof body === 'string') {
    try {
      body = parseJson(body);
    } catch {
      throw new TroveError('MALFORMED_REQUEST', 'Request body is not valid JSON.');
    }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TroveError('MALFORMED_REQUEST', 'Request body must be a JSON object.');
  }
  return decodeBody(spec, body, bodySource(body));
}

/** The requesting user as far as the request tells (auth arrives with a later issue). */
export function actorOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-trove-user'];
  if (typeof header === 'string' && header !== '') return header;
  const auth = request.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const user = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0];
    if (user) return user;
  }
  return undefined;
}
