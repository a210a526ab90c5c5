import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * The registry of every param, metric and run tag key an experiment's runs have logged, so the
 * runs table can offer all of them without reading the runs (`experiment-keys.ts`). Asking the
 * big tables instead costs about a second per experiment of 100k runs.
 *
 * Expand only: a new table, filled here from the existing rows. Replicas of the previous release
 * keep writing without registering; docs/deployment.md says what that leaves out and how
 * `trove db rebuild-keys` fills it in.
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec(`CREATE TABLE experiment_keys (
    experiment_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (experiment_id, kind, key))${ddl.clustered}`);
  await exec(`INSERT INTO experiment_keys (experiment_id, kind, key)
    SELECT DISTINCT r.experiment_id, 'param', p.key FROM params p JOIN runs r ON r.id = p.run_id`);
  await exec(`INSERT INTO experiment_keys (experiment_id, kind, key)
    SELECT DISTINCT r.experiment_id, 'metric', s.key FROM metric_series s JOIN runs r ON r.id = s.run_id`);
  await exec(`INSERT INTO experiment_keys (experiment_id, kind, key)
    SELECT DISTINCT r.experiment_id, 'tag', t.key FROM run_tags t JOIN runs r ON r.id = t.run_id`);
}
