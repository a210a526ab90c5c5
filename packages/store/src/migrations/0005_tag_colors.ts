import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * One colour per run tag key and workspace, picked on the tags page and used by the tag chips.
 * Stands alone: no other migration's tables are read or altered.
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  await sql
    .raw(`CREATE TABLE tag_colors (
    workspace_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    color TEXT NOT NULL,
    PRIMARY KEY (workspace_id, key))${ddl.clustered}`)
    .execute(db);
}
