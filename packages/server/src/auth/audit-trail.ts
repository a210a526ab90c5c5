import { stringifyJson, TroveError } from '@trove/protocol';
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

/** A secret field as a key appears in JSON text only so; a match inside a string value is possible but merely costs the slow path. */
const SECRET_KEY_TEXT = [...SECRET_FIELDS].map((k) => `"${k}":`);

/** The request's input as recorded: secrets replaced, long values cut with a marker saying so. */
export function auditValue(input: unknown): string | null {
  if (input === undefined || input === null) return null;
  let text = stringifyJson(input);
  // Every logged request passes here, a 1000-metric log-batch too: re-parsing its 80 KiB with a
  // reviver to look for secrets cost more server CPU than its database write (bench:
  // `--server-cpu-prof`). Only text that may hold a secret key is parsed and rewritten.
  if (SECRET_KEY_TEXT.some((k) => text.includes(k))) {
    const redacted = JSON.parse(text, (key, value) =>
      SECRET_FIELDS.has(key) && value !== undefined ? '[redacted]' : value,
    );
    text = JSON.stringify(redacted);
  }
  return text.length <= MAX_VALUE_CHARS
    ? text
    : JSON.stringify({ truncated: true, chars: text.length, head: text.slice(0, MAX_VALUE_CHARS) });
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
    const entry = row(what, request, caller, 200, auditValue(input));
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
