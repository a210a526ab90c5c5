import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Deployments of model versions, and the indexes the lineage walk (`lineage/`) needs so that every
 * hop is an index seek, read backwards along an edge as well as forwards. Expand only.
 *
 * - `deployments`: one row per record a CD system makes (a history, not a state): the current
 *   deployment of an environment is its newest row. `model_name` keeps the name as recorded.
 * - `run_inputs (dataset_id, run_id)`: the runs that read a dataset (the key starts at the run).
 * - `run_model_edges (model_id, direction, run_id)`: the run that produced a logged model, the
 *   runs that consumed it (the key starts at the run).
 * - `logged_models (source_run_id)`: the models a run produced without an output edge.
 * - `model_versions (logged_model_id)`: the versions registered from a logged model.
 * Children of a run are found through `run_tags (key, value)` (`mlflow.parentRunId`), which exists.
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec(`CREATE TABLE deployments (
    ${ddl.idColumn('id')},
    workspace_id INTEGER NOT NULL,
    model_id INTEGER NOT NULL,
    model_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    environment TEXT NOT NULL,
    status TEXT NOT NULL,
    url TEXT,
    description TEXT,
    actor TEXT,
    time BIGINT NOT NULL)`);
  await exec('CREATE INDEX deployments_by_model_environment ON deployments (model_id, environment, time, id)');
  await exec('CREATE INDEX deployments_by_version ON deployments (model_id, version, time, id)');
  await exec('CREATE INDEX run_inputs_by_dataset ON run_inputs (dataset_id, run_id)');
  await exec('CREATE INDEX run_model_edges_by_model ON run_model_edges (model_id, direction, run_id)');
  await exec('CREATE INDEX logged_models_by_source_run ON logged_models (source_run_id)');
  await exec('CREATE INDEX model_versions_by_logged_model ON model_versions (logged_model_id)');
}
