import { invalidParam, notFound, RunTags, validateKey } from '@trove/protocol';
import { registerExperimentKeys, type Store } from '@trove/store';
import { sql } from 'kysely';
import type { ExperimentService } from './experiment.service.ts';
import { validateRunTag } from './run.service.ts';
import { listed, selectRuns } from './run-selection.ts';
import type { Workspace } from './workspace.service.ts';

export interface TagKeySummary {
  key: string;
  /** Active runs carrying the key. */
  run_count: number;
  /** Distinct values among them. */
  value_count: number;
  /** Set only on MLflow's `mlflow.*` tags (listed with `include_system`). */
  system?: boolean;
  color?: string;
}

const isSystem = (key: string) => key.startsWith(RunTags.SYSTEM_TAG_PREFIX);

function refuseSystem(key: string, field: string): void {
  if (isSystem(key)) {
    throw invalidParam(`Parameter '${field}' names the system tag '${key}': tags under '${RunTags.SYSTEM_TAG_PREFIX}' belong to MLflow and are not managed in bulk.`);
  }
}

/**
 * Run tag keys across an experiment or a workspace: counts, and bulk rename, delete and set.
 * Rename and delete reach every run of the experiment, deleted ones too, so a restored run
 * agrees with its siblings; counts are over active runs, as the runs table shows them.
 */
export function createRunTagService(store: Store, experiments: ExperimentService) {
  const { db } = store;

  async function listKeys(ws: Workspace, input: { experiment_id?: string; include_system?: boolean }): Promise<{ keys: TagKeySummary[] }> {
    let q = db
      .selectFrom('run_tags')
      .innerJoin('runs', 'runs.id', 'run_tags.run_id')
      .select(['run_tags.key', sql<number>`COUNT(*)`.as('run_count'), sql<number>`COUNT(DISTINCT run_tags.value)`.as('value_count')])
      .where('runs.lifecycle_stage', '=', 'active')
      .groupBy('run_tags.key')
      .orderBy('run_tags.key');
    if (input.experiment_id) {
      q = q.where('runs.experiment_id', '=', (await experiments.getRow(ws, input.experiment_id)).experiment_id);
    } else {
      q = q.where('runs.experiment_id', 'in', db.selectFrom('experiments').select('experiment_id').where('workspace_id', '=', ws.id));
    }
    const [rows, colors] = await Promise.all([q.execute(), db.selectFrom('tag_colors').select(['key', 'color']).where('workspace_id', '=', ws.id).execute()]);
    const colorOf = new Map(colors.map((c) => [c.key, c.color]));
    const keys = rows
      .filter((r) => input.include_system || !isSystem(r.key))
      .map((r) => ({
        key: r.key,
        run_count: Number(r.run_count),
        value_count: Number(r.value_count),
        ...(isSystem(r.key) ? { system: true } : {}),
        ...(colorOf.has(r.key) ? { color: colorOf.get(r.key) } : {}),
      }));
    return { keys };
  }

  async function activeExperiment(ws: Workspace, id: string): Promise<number> {
    const row = await experiments.getActiveRow(ws, id, () => invalidParam(`The experiment ${id} must be in the 'active' state. Current state is deleted.`));
    return row.experiment_id;
  }

  /**
   * Renames `key` to `new_key` on every run of the experiment. A run that already holds `new_key`
   * with the same value keeps one tag; with a different value the whole rename is refused.
   */
  async function renameKey(ws: Workspace, input: { experiment_id: string; key: string; new_key: string }): Promise<{ runs_updated: number }> {
    const { key, new_key: newKey } = input;
    validateKey(key, 'tag key');
    validateKey(newKey, 'new tag key');
    refuseSystem(key, 'key');
    refuseSystem(newKey, 'new_key');
    if (key === newKey) throw invalidParam(`The new key is the same as the old one ('${key}').`);
    const experimentId = await activeExperiment(ws, input.experiment_id);
    return db.transaction().execute(async (trx) => {
      const runsOf = trx.selectFrom('runs').select('id').where('experiment_id', '=', experimentId);
      const clashes = await trx
        .selectFrom('run_tags as a')
        .innerJoin('run_tags as b', (j) => j.onRef('b.run_id', '=', 'a.run_id').on('b.key', '=', newKey))
        .innerJoin('runs', 'runs.id', 'a.run_id')
        .select('runs.run_uuid')
        .where('a.key', '=', key)
        .where('runs.experiment_id', '=', experimentId)
        .whereRef('a.value', '<>', 'b.value')
        .orderBy('runs.run_uuid')
        .limit(6)
        .execute();
      if (clashes.length > 0) {
        const runs =
          clashes
            .slice(0, 5)
            .map((c) => c.run_uuid)
            .join(', ') + (clashes.length > 5 ? ', …' : '');
        throw invalidParam(`Cannot rename tag '${key}' to '${newKey}': run(s) ${runs} already hold '${newKey}' with a different value. Nothing was changed.`);
      }
      const had = await trx.selectFrom('run_tags').select(sql<number>`COUNT(*)`.as('n')).where('key', '=', key).where('run_id', 'in', runsOf).executeTakeFirstOrThrow();
      if (Number(had.n) === 0) throw notFound(`No run of experiment ${input.experiment_id} has tag '${key}'.`);
      // Runs holding both keys with equal values keep the existing `new_key` tag.
      await trx
        .deleteFrom('run_tags')
        .where('key', '=', key)
        .where('run_id', 'in', runsOf)
        .where('run_id', 'in', trx.selectFrom('run_tags').select('run_id').where('key', '=', newKey))
        .execute();
      await trx.updateTable('run_tags').set({ key: newKey }).where('key', '=', key).where('run_id', 'in', runsOf).execute();
      // The old key stays registered (a suggestion that matches nothing): see experiment-keys.ts.
      await registerExperimentKeys(trx, [{ experimentId, kind: 'tag', key: newKey }]);
      return { runs_updated: Number(had.n) };
    });
  }

  async function deleteKey(ws: Workspace, input: { experiment_id: string; key: string }): Promise<{ runs_updated: number }> {
    validateKey(input.key, 'tag key');
    refuseSystem(input.key, 'key');
    const experimentId = await activeExperiment(ws, input.experiment_id);
    const res = await db
      .deleteFrom('run_tags')
      .where('key', '=', input.key)
      .where('run_id', 'in', db.selectFrom('runs').select('id').where('experiment_id', '=', experimentId))
      .executeTakeFirst();
    const n = Number(res.numDeletedRows);
    if (n === 0) throw notFound(`No run of experiment ${input.experiment_id} has tag '${input.key}'.`);
    return { runs_updated: n };
  }

  /** Sets `key=value` on every named run, or on none: unknown runs are a 404, deleted ones a 400. */
  async function setOnRuns(ws: Workspace, input: { run_ids?: string[]; key: string; value?: string }): Promise<{ runs_updated: number }> {
    const value = input.value ?? '';
    validateRunTag(input.key, value);
    refuseSystem(input.key, 'key');
    return db.transaction().execute(async (trx) => {
      const runs = await selectRuns(trx, ws, input.run_ids);
      const deleted = runs.filter((r) => r.lifecycle_stage !== 'active').map((r) => r.run_uuid);
      if (deleted.length > 0) throw invalidParam(`Tags can be set only on active runs; deleted: ${listed(deleted)}. Nothing was changed.`);
      for (let i = 0; i < runs.length; i += 500) {
        await trx
          .insertInto('run_tags')
          .values(runs.slice(i, i + 500).map((r) => ({ run_id: r.id, key: input.key, value })))
          .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value }))
          .execute();
      }
      await registerExperimentKeys(
        trx,
        runs.map((r) => ({ experimentId: r.experiment_id, kind: 'tag', key: input.key })),
      );
      return { runs_updated: runs.length };
    });
  }

  return { listKeys, renameKey, deleteKey, setOnRuns };
}

export type RunTagService = ReturnType<typeof createRunTagService>;
