import type { Kysely } from 'kysely';
import type { Database, DatasetTable } from '../schema.ts';

/** A dataset as a run logs it as an input. */
export type DatasetValues = Omit<DatasetTable, 'id' | 'experiment_id'>;

/**
 * Links a dataset (created in the run's experiment when new) to a run as an input with its tags.
 * Linking the same dataset twice is a no-op: the first call's tags stay. Three statements: run it
 * inside a transaction.
 */
export async function linkRunDataset(
  db: Kysely<Database>,
  runId: number,
  experimentId: number,
  d: DatasetValues,
  tagsJson: string,
): Promise<void> {
  await db
    .insertInto('datasets')
    .values({
      experiment_id: experimentId,
      name: d.name,
      digest: d.digest,
      source_type: d.source_type,
      source: d.source,
      schema: d.schema,
      profile: d.profile,
    })
    .onConflict((oc) => oc.columns(['experiment_id', 'name', 'digest']).doNothing())
    .execute();
  const row = await db
    .selectFrom('datasets')
    .select('id')
    .where('experiment_id', '=', experimentId)
    .where('name', '=', d.name)
    .where('digest', '=', d.digest)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('run_inputs')
    .values({ run_id: runId, dataset_id: row.id, tags_json: tagsJson })
    .onConflict((oc) => oc.columns(['run_id', 'dataset_id']).doNothing())
    .execute();
}

/** Records logged models as a run's inputs or outputs (one statement each; edges already there are kept). */
export async function insertRunModelEdges(
  db: Kysely<Database>,
  runId: number,
  direction: 'input' | 'output',
  edges: readonly { model_id: string; step: number }[],
): Promise<void> {
  for (const e of edges) {
    await db
      .insertInto('run_model_edges')
      .values({ run_id: runId, model_id: e.model_id, direction, step: e.step })
      .onConflict((oc) => oc.columns(['run_id', 'direction', 'model_id', 'step']).doNothing())
      .execute();
  }
}

/** A dataset input of a run: the dataset's experiment, name and digest, and the input's tags (JSON). */
export interface DatasetInputRow {
  experiment_id: number;
  name: string;
  digest: string;
  tags_json: string;
}

/** Dataset inputs of the runs of the given experiments of a workspace, at most `limit` of them. */
export function listDatasetInputs(
  db: Kysely<Database>,
  workspaceId: number,
  experimentIds: number[],
  limit: number,
): Promise<DatasetInputRow[]> {
  return db
    .selectFrom('run_inputs')
    .innerJoin('datasets', 'datasets.id', 'run_inputs.dataset_id')
    .innerJoin('experiments', 'experiments.experiment_id', 'datasets.experiment_id')
    .select(['datasets.experiment_id', 'datasets.name', 'datasets.digest', 'run_inputs.tags_json'])
    .where('datasets.experiment_id', 'in', experimentIds)
    .where('experiments.workspace_id', '=', workspaceId)
    .limit(limit)
    .execute();
}
