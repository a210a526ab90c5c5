import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Projects group experiments and registered models inside a workspace. Membership lives in its
 * own tables (an experiment or model belongs to at most one project: its id is the key), so the
 * MLflow tables and every MLflow endpoint stay exactly as they were.
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec(`CREATE TABLE projects (
    ${ddl.idColumn('id')},
    workspace_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    creation_time BIGINT NOT NULL,
    last_update_time BIGINT NOT NULL)`);
  await exec('CREATE UNIQUE INDEX projects_by_name ON projects (workspace_id, name)');
  await exec(`CREATE TABLE project_experiments (
    experiment_id BIGINT NOT NULL PRIMARY KEY,
    project_id BIGINT NOT NULL)`);
  await exec('CREATE INDEX project_experiments_by_project ON project_experiments (project_id, experiment_id)');
  await exec(`CREATE TABLE project_models (
    model_id BIGINT NOT NULL PRIMARY KEY,
    project_id BIGINT NOT NULL)`);
  await exec('CREATE INDEX project_models_by_project ON project_models (project_id, model_id)');
}
