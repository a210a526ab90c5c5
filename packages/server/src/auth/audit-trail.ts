import { TroveError } from '@trove/protocol';
import { type AuditRow, currentAuditScope, flushAudit, type Store, searchAudit, withAuditScope } from '@trove/store';
import type { FastifyRequest } from 'fastify';
import type { Caller } from './caller.ts';

/** Values never written to the audit log. */
const SECRET_FIELDS = new Set(['password', 'secret', 'token', 'new_password', 'client_secret']);
const MAX_VALUE_CHARS = 2048;

export interface AuditedAction {
  action: string;
  resourceType: string;
  resourceId?: string;
  workspaceId?: number;
}

/**
 * The request's input as recorded: secrets replaced, and long input cut to its first
 * `MAX_VALUE_CHARS` characters with a marker saying so (and the body's size in bytes when the
 * request said it). Every logged request passes here, a 1000-metric log-batch too: the text is
 * written only as far as it is kept, since serializing the whole batch to keep 2 KB of it cost
 * more server CPU than the batch's database write (bench `--server-cpu-prof`).
 */
export function auditValue(input: unknown, bodyBytes?: number): string | null {
  if (input === undefined || input === null) return null;
  const out = { text: '' };
  if (writeJson(input, out, MAX_VALUE_CHARS) && out.text.length <= MAX_VALUE_CHARS) return out.text;
  return JSON.stringify({
    truncated: true,
    ...(bodyBytes !== undefined && Number.isFinite(bodyBytes) ? { bytes: bodyBytes } : {}),
    head: out.text.slice(0, MAX_VALUE_CHARS),
  });
}

/**
 * Appends `value` as `JSON.stringify` writes it (secret fields as '[redacted]', integers beyond
 * 2^53 exact) to `out.text`; false as soon as the text is past `limit`, leaving it cut there.
 */
function writeJson(value: unknown, out: { text: string }, limit: number): boolean {
  if (out.text.length > limit) return false;
  if (typeof value === 'bigint') {
    out.text += value.toString();
    return true;
  }
  if (value === null || typeof value !== 'object') {
    out.text += JSON.stringify(value) ?? 'null';
    return true;
  }
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return writeJson(json.call(value), out, limit);
  if (Array.isArray(value)) {
    out.text += '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.text += ',';
      const item = value[i];
      const skipped = item === undefined || typeof item === 'function' || typeof item === 'symbol';
      if (skipped) out.text += 'null';
      else if (!writeJson(item, out, limit)) return false;
    }
    out.text += ']';
    return true;
  }
  out.text += '{';
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    out.text += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (SECRET_FIELDS.has(key)) out.text += '"[redacted]"';
    else if (!writeJson(item, out, limit)) return false;
  }
  out.text += '}';
  return out.text.length <= limit;
}

export function actorName(caller: Caller, request: FastifyRequest, authEnabled: boolean): string | null {
  if (caller.user) return caller.user.username;
  // With auth on, a name nobody proved is no actor (a request refused before sign-in completed, as a missing CSRF token).
  if (authEnabled) return null;
  // With auth off, the name a client says it has (the UI's "Acting as", MLflow's basic-auth header).
  const header = request.headers['x-trove-user'];
  return typeof header === 'string' && header !== '' ? header : null;
}

/**
 * The audit log: one append-only row per mutation, written in the mutation's own transaction when
 * it has one (`@trove/store` audit scope), else right after it; and one row per refused attempt.
 */
export function createAuditTrail(store: Store, authEnabled: boolean) {
  const row = (what: AuditedAction, request: FastifyRequest, caller: Caller, status: number, after: string | null) => ({
    time: Date.now(),
    workspace_id: what.workspaceId ?? null,
    actor: actorName(caller, request, authEnabled),
    address: request.ip ?? null,
    request_id: String(request.id),
    action: what.action,
    resource_type: what.resourceType,
    resource_id: what.resourceId ?? null,
    status,
    before_value: null,
    after_value: after,
  });

  async function audited<T>(
    what: AuditedAction,
    request: FastifyRequest,
    caller: Caller,
    input: unknown,
    run: () => Promise<T>,
  ): Promise<T> {
    const entry = row(
      what,
      request,
      caller,
      200,
      auditValue(input, Number(request.headers['content-length'] ?? Number.NaN)),
    );
    return withAuditScope(entry, async () => {
      let result: T;
      try {
        result = await run();
      } catch (e) {
        // A handler's own refusal (a review policy's approvers, a comment's author) is a refused attempt too.
        if (e instanceof TroveError && e.code === 'PERMISSION_DENIED') await refused(what, request, caller, e);
        throw e;
      }
      await flushAudit(store.db, currentAuditScope());
      return result;
    });
  }

  /** A refused attempt (403): recorded outside any transaction. */
  async function refused(
    what: AuditedAction,
    request: FastifyRequest,
    caller: Caller,
    error: TroveError,
  ): Promise<void> {
    await withAuditScope(row(what, request, caller, error.status, null), () =>
      flushAudit(store.db, currentAuditScope()),
    );
  }

  return {
    audited,
    refused,
    search: (q: Parameters<typeof searchAudit>[1]): Promise<AuditRow[]> => searchAudit(store.db, q),
  };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
