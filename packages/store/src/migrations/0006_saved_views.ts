import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Named views of an experiment's runs table (filter, columns, sort, grouping, pins, colours,
 * chart layout), shared within the workspace. `state` is the validated JSON document.
 * Stands alone: no other migration's tables are read or altered.
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec(`CREATE TABLE saved_views (
    ${ddl.idColumn('id')},
    workspace_id INTEGER NOT NULL,
    experiment_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    state TEXT NOT NULL,
    creation_time BIGINT NOT NULL,
    last_update_time BIGINT NOT NULL)`);
  // Names are unique per experiment; the index also serves the per-experiment listing.
  await exec('CREATE UNIQUE INDEX saved_views_by_experiment ON saved_views (experiment_id, name)');
}
