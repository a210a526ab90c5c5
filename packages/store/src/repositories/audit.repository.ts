import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../schema.ts';

export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;

export async function insertAuditRow(db: Kysely<Database>, row: NewAuditRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

/** The audit row as a CTE of a larger PostgreSQL statement (the ingest writer's), so it costs no round trip of its own. */
export const AUDIT_ROW_CTE_PG = `audit_row AS (INSERT INTO audit_log
  (time, workspace_id, actor, address, request_id, action, resource_type, resource_id, status, before_value, after_value)
  VALUES ($1::int8, $2::int8, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::int4, $10::text, $11::text))`;

export function auditRowValues(row: NewAuditRow): unknown[] {
  return [
    row.time,
    row.workspace_id ?? null,
    row.actor ?? null,
    row.address ?? null,
    row.request_id ?? null,
    row.action,
    row.resource_type,
    row.resource_id ?? null,
    row.status ?? null,
    row.before_value ?? null,
    row.after_value ?? null,
  ];
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  workspaceId?: number;
  since?: number;
  until?: number;
  /** Keyset: rows with an id below this one (newest first). */
  before?: number;
  limit: number;
}

/** Audit rows, newest first. */
export function searchAudit(db: Kysely<Database>, q: AuditQuery): Promise<AuditRow[]> {
  let s = db.selectFrom('audit_log').selectAll();
  if (q.actor !== undefined) s = s.where('actor', '=', q.actor);
  if (q.action !== undefined) s = s.where('action', '=', q.action);
  if (q.resourceType !== undefined) s = s.where('resource_type', '=', q.resourceType);
  if (q.resourceId !== undefined) s = s.where('resource_id', '=', q.resourceId);
  if (q.workspaceId !== undefined) s = s.where('workspace_id', '=', q.workspaceId);
  if (q.since !== undefined) s = s.where('time', '>=', q.since);
  if (q.until !== undefined) s = s.where('time', '<', q.until);
  if (q.before !== undefined) s = s.where('id', '<', q.before);
  return s.orderBy('id', 'desc').limit(q.limit).execute();
}
