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
import type { AuditTrail } from '../auth/audit-trail.ts';
import type { Caller } from '../auth/caller.ts';
import { callerOf } from '../auth/guard.ts';
import { type Access, type AccessInput, accessFor, routeKey } from '../auth/route-access.ts';
import type { Workspace } from '../services/workspace.service.ts';
import { bodySource } from './body-source.ts';
import { RawJson } from './raw-json.ts';
import { tailPath } from './tail-path.ts';

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
  /** Who is asking, as the guard established it. */
  caller: Caller;
  /** The name recorded in activity logs: the signed-in user; with auth off, what `X-Trove-User` or basic auth says. */
  actor?: string;
}

/** A JSON handler answers a value (serialised int64-safe), a {@link RawJson} text, or nothing (`{}`). */
export type RouteHandler<M extends MessageSpec> = (ctx: RouteContext<M>) => Promise<unknown> | unknown;

export type RawHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  workspace: Workspace,
  caller: Caller,
) => Promise<unknown>;

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
  /** Who may call it (`auth/route-access.ts`). */
  access: Access;
  /** Raw routes (streams, GraphQL) carry no message spec of their own. */
  raw?: boolean;
}

export interface JsonRoute<M extends MessageSpec> {
  method: HttpMethod;
  path: string;
  spec: M;
  api: Api;
  version?: '2.0' | '3.0';
  /** Who may call it; routes without one here must have an entry in `auth/route-access.ts`. */
  access?: Access;
  /** Also accept an `application/x-www-form-urlencoded` body (for CD systems' plain webhooks). */
  forms?: boolean;
  /** The status of a successful reply (200 unless given: 201 for a create that a REST client expects it from). */
  status?: number;
}

export interface RawOptions {
  api?: Api;
  version?: '2.0' | '3.0';
  bodyLimit?: number;
  /** `stream`: the body reaches the handler unread (`request.raw`), whatever its Content-Type. */
  body?: 'stream';
  access?: Access;
  /** What the guard reads in place of the query string and JSON body (a header that names the resource). */
  input?: (request: FastifyRequest) => Record<string, unknown>;
}

/** The authorization layer every mounted route passes through, and the audit trail of mutations. */
export interface RouteGuard {
  check(
    access: Access,
    request: FastifyRequest,
    workspace: () => Promise<Workspace>,
    req: () => AccessInput,
  ): Promise<Caller>;
  audit: AuditTrail;
}

/** POSTs that change nothing: they are not audited. */
const READ_ONLY_POSTS = new Set(['mlflow POST /registered-models/get-latest-versions', 'mlflow POST /gateway-proxy']);

function mutates(method: HttpMethod, access: Access, key: string): boolean {
  return method !== 'GET' && access.kind !== 'filtered' && access.kind !== 'public' && !READ_ONLY_POSTS.has(key);
}

function resolveAccess(api: Api, method: HttpMethod, path: string, given: Access | undefined): Access {
  const access = given ?? accessFor(api, method, path);
  if (access === undefined)
    throw new Error(`${routeKey(api, method, path)} declares no access: add it to auth/route-access.ts`);
  return access;
}

/**
 * The resource an access names, for the audit record; else the route's path parameters (the
 * user, group or token of `/admin/users/:username`, `/auth/tokens/:token_id`), which the recorded
 * input does not hold.
 */
function resourceOf(access: Access, req: AccessInput): string | undefined {
  if ('from' in access) {
    const v = access.from(req);
    return Array.isArray(v) ? v.join(',') : v;
  }
  const params = Object.entries(req.params)
    .filter(([k]) => k !== 'workspace')
    .map(([, v]) => v);
  return params.length ? params.join('/') : undefined;
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

export function createRouter(app: FastifyInstance, resolveWorkspace: WorkspaceResolver, guard: RouteGuard): Router {
  const catalog: RouteEntry[] = [];
  const workspaceOf = (request: FastifyRequest) =>
    resolveWorkspace((request.params as { workspace?: string }).workspace);

  /**
   * The one pipeline: who is asking (401), the workspace from the URL (404), the input (400), may
   * they (403), then the handler, inside its audit record when it changes something.
   */
  async function pass<T>(
    key: string,
    method: HttpMethod,
    access: Access,
    request: FastifyRequest,
    input: () => Record<string, unknown>,
    tail: (() => string | undefined) | undefined,
    run: (workspace: Workspace, caller: Caller) => Promise<T>,
  ): Promise<T> {
    let workspace: Promise<Workspace> | undefined;
    const ws = () => (workspace ??= workspaceOf(request));
    const params = request.params as Record<string, string>;
    const req = (): AccessInput => ({ input: input(), params, tail: tail?.() });
    let caller: Caller;
    try {
      caller = await guard.check(access, request, ws, req);
    } catch (e) {
      if (e instanceof TroveError && e.code === 'PERMISSION_DENIED') {
        const w = await ws().catch(() => undefined);
        await guard.audit.refused(
          {
            action: key,
            resourceType: access.kind,
            resourceId: safe(() => resourceOf(access, req())),
            workspaceId: w?.id,
          },
          request,
          callerOf(request),
          e,
        );
      }
      throw e;
    }
    const w = await ws();
    input();
    if (!mutates(method, access, key)) return run(w, caller);
    return guard.audit.audited(
      { action: key, resourceType: access.kind, resourceId: safe(() => resourceOf(access, req())), workspaceId: w.id },
      request,
      caller,
      input(),
      () => run(w, caller),
    );
  }

  function json<M extends MessageSpec>(
    { method, path, spec, api, version = '2.0', access: given, forms, status }: JsonRoute<M>,
    handler: RouteHandler<M>,
  ): void {
    const prefixes = prefixesFor(api, version);
    const access = resolveAccess(api, method, path, given);
    const key = routeKey(api, method, path);
    catalog.push({
      method,
      path,
      api,
      version: api.startsWith('mlflow') ? version : undefined,
      spec,
      url: prefixes[0] + path,
      access,
    });
    for (const prefix of prefixes) {
      app.route({
        method,
        url: prefix + path,
        config: { routed: true, forms: forms === true },
        handler: async (request, reply) => {
          let input: Decoded<M> | undefined;
          const decoded = () => (input ??= decodeInput(spec, request, api));
          const params = request.params as Record<string, string>;
          const result = await pass(
            key,
            method,
            access,
            request,
            () => decoded() as Record<string, unknown>,
            undefined,
            async (workspace, caller) =>
              handler({ input: decoded(), workspace, params, request, caller, actor: actorOf(request, caller) }),
          );
          if (status !== undefined) reply.code(status);
          return sendJson(reply, result);
        },
      });
    }
  }

  function raw(method: HttpMethod, path: string, handler: RawHandler, options: RawOptions = {}): void {
    const api = options.api ?? 'mlflow';
    const prefixes = prefixesFor(api, options.version ?? '2.0');
    const access = resolveAccess(api, method, path, options.access);
    const key = routeKey(api, method, path);
    catalog.push({ method, path, api, spec: {}, url: prefixes[0] + path, access, raw: true });
    const mount = (into: FastifyInstance) => {
      for (const prefix of prefixes) {
        into.route({
          method,
          url: prefix + path,
          bodyLimit: options.bodyLimit,
          config: { routed: true },
          handler: async (request, reply) =>
            pass(
              key,
              method,
              access,
              request,
              () => (options.input ?? rawInput)(request),
              path.endsWith('*') ? () => safe(() => tailPath(request, true, 'read')) : undefined,
              (workspace, caller) => handler(request, reply, workspace, caller),
            ),
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

/** What fastify makes of `application/json` for a string; a Buffer's type is sent as given. */
const JSON_UTF8 = 'application/json; charset=utf-8';

/** The one serializer: int64-safe JSON (BigInt as bare digits), {@link RawJson} as written, nothing as `{}`. */
export function sendJson(reply: FastifyReply, result: unknown): FastifyReply {
  if (result instanceof RawJson && typeof result.body !== 'string') return reply.type(JSON_UTF8).send(result.body);
  return reply.type('application/json').send(result instanceof RawJson ? result.body : stringifyJson(result ?? {}));
}

/** What a raw route's guard reads: the query string's first values, and a JSON body's fields. */
function rawInput(request: FastifyRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const body = request.body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) Object.assign(out, body);
  for (const [k, v] of Object.entries((request.query ?? {}) as Record<string, string | string[]>))
    out[k] = Array.isArray(v) ? v[0] : v;
  return out;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * The name activity logs record: the signed-in user. With auth off, what the request says
 * (`X-Trove-User`, the UI's "Acting as", or a basic-auth user name), unverified.
 */
export function actorOf(request: FastifyRequest, caller?: Caller): string | undefined {
  if (caller?.user) return caller.user.username;
  if (caller !== undefined && caller.via !== 'open') return undefined;
  const header = request.headers['x-trove-user'];
  if (typeof header === 'string' && header !== '') return header;
  const auth = request.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const user = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0];
    if (user) return user;
  }
  return undefined;
}
