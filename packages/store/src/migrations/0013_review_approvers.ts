import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Who may approve under a review policy rule: `approver_groups` (a JSON array of group names) and
 * `approver_role` (`editor` | `manager` | `admin`). Both nullable: a rule without them lets any
 * reader of the model approve, as before, and rows written by a previous release read that way.
 */
export async function up(db: Kysely<unknown>, _ddl: DdlDialect): Promise<void> {
  await sql.raw('ALTER TABLE review_policies ADD COLUMN approver_groups TEXT').execute(db);
  await sql.raw('ALTER TABLE review_policies ADD COLUMN approver_role TEXT').execute(db);
}
