import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../schema.ts';

export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;

export async function insertAuditRow(db: Kysely<Database>, row: NewAuditRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
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
