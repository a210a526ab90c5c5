import {
  type Decoded,
  decodeBody,
  decodeQuery,
  type MessageSpec,
  parseJson,
  stringifyJson,
  TroveError,
} from '@trove/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Workspace } from '../services/workspace.service.ts';
import { bodySource } from './body-source.ts';
import { RawJson } from './raw-json.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/**
 * Which API a route belongs to, which decides the URL prefixes it is mounted under and where its
 * input is read from:
 * - `mlflow`, `mlflow-artifacts`: `/api/<v>/<api>`, `/ajax-api/<v>/<api>` and their `/w/:workspace` twins;
 *   MLflow's rule for input: the query string of a GET that has one, the JSON body otherwise.
 * - `trove`: `/api/trove/v1` and `/w/:workspace/api/trove/v1`; GET and DELETE read the query string, other methods the body.
 * - `trove-server`: `/api/trove/v1` only, for what belongs to the server rather than a workspace (the workspaces
 *   themselves); input as `trove`.
 * - `root`: the path as given and its `/w/:workspace` twin (`/graphql`, `/get-artifact`).
 */
export type Api = 'mlflow' | 'mlflow-artifacts' | 'trove' | 'trove-server' | 'root';

/** What a JSON handler sees: the decoded request, the workspace it addresses, path params. */
export interface RouteContext<M extends MessageSpec> {
  input: Decoded<M>;
  workspace: Workspace;
  params: Record<string, string>;
  request: FastifyRequest;
  /** Who is asking, when known (basic-auth user or `X-Trove-User`); recorded in activity logs. */
  actor?: string;
}

/** A JSON handler answers a value (serialised int64-safe), a {@link RawJson} text, or nothing (`{}`). */
export type RouteHandler<M extends MessageSpec> = (ctx: RouteContext<M>) => Promise<unknown> | unknown;

export type RawHandler = (request: FastifyRequest, reply: FastifyReply, workspace: Workspace) => Promise<unknown>;

/** One JSON route as mounted, for tests that sweep every endpoint with its request spec. */
export interface RouteEntry {
  method: HttpMethod;
  /** The path after the API prefix, with `:params`. */
  path: string;
  api: Api;
  /** MLflow's API version (`2.0`, `3.0`) for MLflow routes. */
  version?: string;
  spec: MessageSpec;
  /** The route's first URL (`/api/2.0/mlflow/runs/get`, `/api/trove/v1/projects`), `:params` unfilled. */
  url: string;
}

export interface JsonRoute<M extends MessageSpec> {
  method: HttpMethod;
  path: string;
  spec: M;
  api: Api;
  version?: '2.0' | '3.0';
}

export interface RawOptions {
  api?: Api;
  version?: '2.0' | '3.0';
  bodyLimit?: number;
  /** `stream`: the body reaches the handler unread (`request.raw`), whatever its Content-Type. */
  body?: 'stream';
}

/**
 * The one way to mount a route. Every JSON route goes through {@link Router.json} (or its MLflow and
 * Trove shorthands): URL prefixes per API, the workspace resolved from the URL, the input decoded
 * against a message spec by {@link decodeInput}, the answer serialised by {@link sendJson}, errors
 * left to the app's one error handler. {@link Router.raw} is for what a JSON reply cannot carry:
 * streamed uploads and downloads, GraphQL.
 */
export interface Router {
  /** Every JSON route mounted so far. */
  readonly catalog: RouteEntry[];
  json<M extends MessageSpec>(route: JsonRoute<M>, handler: RouteHandler<M>): void;
  /** An MLflow RPC at `/api/<v>/mlflow<path>`, its `/ajax-api` twin and the `/w/:workspace` variants. */
  rpc<M extends MessageSpec>(
    method: HttpMethod,
    path: string,
    spec: M,
    handler: RouteHandler<M>,
    version?: '2.0' | '3.0',
  ): void;
  /** A Trove-native route at `/api/trove/v1<path>` and `/w/:workspace/api/trove/v1<path>`. */
  native<M extends MessageSpec>(method: HttpMethod, path: string, spec: M, handler: RouteHandler<M>): void;
  /** A route under the API's prefixes with full control of the reply. */
  raw(method: HttpMethod, path: string, handler: RawHandler, options?: RawOptions): void;
}

type WorkspaceResolver = (name: string | undefined) => Promise<Workspace>;

function prefixesFor(api: Api, version: string): string[] {
  if (api === 'trove') return ['/api/trove/v1', '/w/:workspace/api/trove/v1'];
  if (api === 'trove-server') return ['/api/trove/v1'];
  if (api === 'root') return ['', '/w/:workspace'];
  const base = [`/api/${version}/${api}`, `/ajax-api/${version}/${api}`];
  return [...base, ...base.map((p) => `/w/:workspace${p}`)];
}

export function createRouter(app: FastifyInstance, resolveWorkspace: WorkspaceResolver): Router {
  const catalog: RouteEntry[] = [];
  const workspaceOf = (request: FastifyRequest) =>
    resolveWorkspace((request.params as { workspace?: string }).workspace);

  function json<M extends MessageSpec>(
    { method, path, spec, api, version = '2.0' }: JsonRoute<M>,
    handler: RouteHandler<M>,
  ): void {
    const prefixes = prefixesFor(api, version);
    catalog.push({
      method,
      path,
      api,
      version: api.startsWith('mlflow') ? version : undefined,
      spec,
      url: prefixes[0] + path,
    });
    for (const prefix of prefixes) {
      app.route({
        method,
        url: prefix + path,
        handler: async (request, reply) => {
          // The URL before the body: an unknown workspace is a 404 whatever the input.
          const workspace = await workspaceOf(request);
          const input = decodeInput(spec, request, api);
          const params = request.params as Record<string, string>;
          return sendJson(reply, await handler({ input, workspace, params, request, actor: actorOf(request) }));
        },
      });
    }
  }

  function raw(method: HttpMethod, path: string, handler: RawHandler, options: RawOptions = {}): void {
    const mount = (into: FastifyInstance) => {
      for (const prefix of prefixesFor(options.api ?? 'mlflow', options.version ?? '2.0')) {
        into.route({
          method,
          url: prefix + path,
          bodyLimit: options.bodyLimit,
          handler: async (request, reply) => handler(request, reply, await workspaceOf(request)),
        });
      }
    };
    if (options.body !== 'stream') {
      mount(app);
      return;
    }
    // A context of its own whose only parser leaves the body alone: an upload must reach the
    // handler unread even when the client labels it `application/json` (a .json file).
    app.register(async (context) => {
      context.removeAllContentTypeParsers();
      context.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
      mount(context);
    });
  }

  return {
    catalog,
    json,
    rpc: (method, path, spec, handler, version) => json({ method, path, spec, api: 'mlflow', version }, handler),
    native: (method, path, spec, handler) => json({ method, path, spec, api: 'trove' }, handler),
    raw,
  };
}

/**
 * The one input decoder: the query string or the JSON body (see {@link Api} for which), decoded
 * against `spec`. A body must be a JSON object; very old MLflow clients double-encode it as a
 * JSON string, which is decoded once more.
 */
export function decodeInput<M extends MessageSpec>(spec: M, request: FastifyRequest, api: Api = 'mlflow'): Decoded<M> {
  const query = (request.query ?? {}) as Record<string, string | string[]>;
  const fromQuery =
    api === 'trove' || api === 'trove-server'
      ? request.method === 'GET' || request.method === 'DELETE'
      : request.method === 'GET' && Object.keys(query).length > 0;
  if (fromQuery) return decodeQuery(spec, query);
  let body: unknown = request.body ?? {};
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

/** The one serializer: int64-safe JSON (BigInt as bare digits), {@link RawJson} as written, nothing as `{}`. */
export function sendJson(reply: FastifyReply, result: unknown): FastifyReply {
  return reply.type('application/json').send(result instanceof RawJson ? result.text : stringifyJson(result ?? {}));
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
