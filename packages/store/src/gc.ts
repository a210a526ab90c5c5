import type { Kysely } from 'kysely';
import { deleteExperimentKeys } from './experiment-keys.ts';
import { deleteExperimentViews } from './repositories/saved-view.repository.ts';
import type { Database } from './schema.ts';

/**
 * Permanent removal of what MLflow calls soft-deleted: runs and experiments in the `deleted`
 * lifecycle stage (`trove gc`, like `mlflow gc`). Metadata only; the caller removes artifacts
 * (before calling `purgeRuns`/`purgeExperiment`, so an interrupted gc is finished by the next).
 */

export interface GarbageRun {
  id: number;
  run_uuid: string;
  experiment_id: number;
  artifact_uri: string;
}

export interface GarbageExperiment {
  experiment_id: number;
  name: string;
  artifact_location: string;
  /** Every run of the experiment, whatever its own stage. */
  runs: GarbageRun[];
}

export interface GarbagePlan {
  /** Deleted runs of experiments that stay. */
  runs: GarbageRun[];
  experiments: GarbageExperiment[];
  /** Deleted experiments kept because a workspace uses them as its Default. */
  skipped: { experiment_id: number; name: string; reason: string }[];
}

/** What `trove gc` would remove: deleted at or before `cutoff` (ms since epoch; default: now). */
export async function planGarbage(db: Kysely<Database>, cutoff = Date.now()): Promise<GarbagePlan> {
  const defaults = new Set(
    (await db.selectFrom('workspaces').select('default_experiment_id').execute())
      .map((w) => Number(w.default_experiment_id))
      .filter((n) => Number.isFinite(n)),
  );
  const deletedExperiments = await db
    .selectFrom('experiments')
    .select(['experiment_id', 'name', 'artifact_location', 'deleted_time', 'last_update_time'])
    .where('lifecycle_stage', '=', 'deleted')
    .orderBy('experiment_id')
    .execute();
  const experiments: GarbageExperiment[] = [];
  const skipped: GarbagePlan['skipped'] = [];
  for (const e of deletedExperiments) {
    const when = Number(e.deleted_time ?? e.last_update_time);
    if (when > cutoff) continue;
    const id = Number(e.experiment_id);
    if (defaults.has(id)) {
      skipped.push({ experiment_id: id, name: e.name, reason: "a workspace's Default experiment" });
      continue;
    }
    const runs = await db
      .selectFrom('runs')
      .select(['id', 'run_uuid', 'experiment_id', 'artifact_uri'])
      .where('experiment_id', '=', id)
      .orderBy('id')
      .execute();
    experiments.push({
      experiment_id: id,
      name: e.name,
      artifact_location: e.artifact_location,
      runs: runs.map(toRun),
    });
  }
  const gone = new Set(experiments.map((e) => e.experiment_id));
  const runs = (
    await db
      .selectFrom('runs')
      .select(['id', 'run_uuid', 'experiment_id', 'artifact_uri', 'deleted_time'])
      .where('lifecycle_stage', '=', 'deleted')
      .where((eb) => eb.or([eb('deleted_time', 'is', null), eb('deleted_time', '<=', cutoff)]))
      .orderBy('id')
      .execute()
  )
    .map(toRun)
    .filter((r) => !gone.has(r.experiment_id));
  return { runs, experiments, skipped };
}

function toRun(r: { id: number; run_uuid: string; experiment_id: number; artifact_uri: string }): GarbageRun {
  return {
    id: Number(r.id),
    run_uuid: r.run_uuid,
    experiment_id: Number(r.experiment_id),
    artifact_uri: r.artifact_uri,
  };
}

const CHUNK = 500;

/** Deletes runs and everything hanging off them (params, tags, metric series and points, inputs, lineage). */
export async function purgeRuns(db: Kysely<Database>, runIds: number[]): Promise<void> {
  for (let i = 0; i < runIds.length; i += CHUNK) {
    const ids = runIds.slice(i, i + CHUNK);
    await db.transaction().execute(async (trx) => {
      const series = trx.selectFrom('metric_series').select('id').where('run_id', 'in', ids);
      await trx.deleteFrom('metric_points').where('series_id', 'in', series).execute();
      await trx.deleteFrom('metric_chunks').where('series_id', 'in', series).execute();
      await trx.deleteFrom('metric_series').where('run_id', 'in', ids).execute();
      await trx.deleteFrom('params').where('run_id', 'in', ids).execute();
      await trx.deleteFrom('run_tags').where('run_id', 'in', ids).execute();
      await trx.deleteFrom('run_inputs').where('run_id', 'in', ids).execute();
      await trx.deleteFrom('run_model_edges').where('run_id', 'in', ids).execute();
      await trx.deleteFrom('runs').where('id', 'in', ids).execute();
    });
  }
}

/** Deletes an experiment with all its runs, tags, datasets, logged models and traces. */
export async function purgeExperiment(db: Kysely<Database>, experiment: GarbageExperiment): Promise<void> {
  await purgeRuns(
    db,
    experiment.runs.map((r) => r.id),
  );
  const id = experiment.experiment_id;
  await db.transaction().execute(async (trx) => {
    // Runs created after the plan was made (a client still logging into a deleted experiment).
    const late = (await trx.selectFrom('runs').select('id').where('experiment_id', '=', id).execute()).map((r) =>
      Number(r.id),
    );
    if (late.length > 0)
      throw new Error(`experiment ${id} gained ${late.length} run(s) while being collected; run gc again`);
    const models = trx.selectFrom('logged_models').select('model_id').where('experiment_id', '=', id);
    await trx.deleteFrom('logged_model_tags').where('model_id', 'in', models).execute();
    await trx.deleteFrom('logged_model_params').where('model_id', 'in', models).execute();
    await trx.deleteFrom('logged_model_metrics').where('model_id', 'in', models).execute();
    await trx.deleteFrom('logged_models').where('experiment_id', '=', id).execute();
    await trx.deleteFrom('datasets').where('experiment_id', '=', id).execute();
    const traces = trx.selectFrom('traces').select('id').where('experiment_id', '=', id);
    for (const table of ['trace_tags', 'trace_metadata', 'trace_spans', 'trace_assessments'] as const)
      await trx.deleteFrom(table).where('trace_pk', 'in', traces).execute();
    await trx.deleteFrom('traces').where('experiment_id', '=', id).execute();
    await trx.deleteFrom('experiment_tags').where('experiment_id', '=', id).execute();
    await deleteExperimentViews(trx, id);
    await deleteExperimentKeys(trx, id);
    await trx
      .deleteFrom('experiments')
      .where('experiment_id', '=', id)
      .where('lifecycle_stage', '=', 'deleted')
      .execute();
  });
}
