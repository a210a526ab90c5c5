import { invalidParam, notFound, RunTags, validateKey } from '@trove/protocol';
import {
  countExperimentRunsWithTag,
  countRunTagKeys,
  deleteExperimentRunTag,
  findTagRenameClashes,
  listTagColors,
  registerExperimentKeys,
  renameExperimentRunTag,
  runInTransaction,
  type Store,
  upsertRunTagOnRuns,
} from '@trove/store';
import type { ExperimentService } from './experiment.service.ts';
import { validateRunTag } from './run.service.ts';
import { listed, selectRuns } from './run-selection.ts';
import type { Workspace } from './workspace.service.ts';

const isSystem = (key: string) => key.startsWith(RunTags.SYSTEM_TAG_PREFIX);

function refuseSystem(key: string, field: string): void {
  if (isSystem(key)) {
    throw invalidParam(
      `Parameter '${field}' names the system tag '${key}': tags under '${RunTags.SYSTEM_TAG_PREFIX}' belong to MLflow and are not managed in bulk.`,
    );
  }
}

/**
 * Run tag keys across an experiment or a workspace: counts, and bulk rename, delete and set.
 * Rename and delete reach every run of the experiment, deleted ones too, so a restored run
 * agrees with its siblings; counts are over active runs, as the runs table shows them.
 */
export function createRunTagService(store: Store, experiments: ExperimentService) {
  const { db } = store;

  async function listKeys(
    ws: Workspace,
    input: { experiment_id?: string; include_system?: boolean },
  ): Promise<RunTags.ListTagKeysResponse> {
    const scope = input.experiment_id
      ? { experimentId: (await experiments.getRow(ws, input.experiment_id)).experiment_id }
      : { workspaceId: ws.id };
    const [rows, colors] = await Promise.all([countRunTagKeys(db, scope), listTagColors(db, ws.id)]);
    const colorOf = new Map(colors.map((c) => [c.key, c.color]));
    const keys = rows
      .filter((r) => input.include_system || !isSystem(r.key))
      .map((r) => ({
        key: r.key,
        run_count: r.run_count,
        value_count: r.value_count,
        ...(isSystem(r.key) ? { system: true } : {}),
        ...(colorOf.has(r.key) ? { color: colorOf.get(r.key) } : {}),
      }));
    return { keys };
  }

  async function activeExperiment(ws: Workspace, id: string): Promise<number> {
    const row = await experiments.getActiveRow(ws, id, () =>
      invalidParam(`The experiment ${id} must be in the 'active' state. Current state is deleted.`),
    );
    return row.experiment_id;
  }

  /**
   * Renames `key` to `new_key` on every run of the experiment. A run that already holds `new_key`
   * with the same value keeps one tag; with a different value the whole rename is refused.
   */
  async function renameKey(
    ws: Workspace,
    input: { experiment_id: string; key: string; new_key: string },
  ): Promise<RunTags.RunsUpdatedResponse> {
    const { key, new_key: newKey } = input;
    validateKey(key, 'tag key');
    validateKey(newKey, 'new tag key');
    refuseSystem(key, 'key');
    refuseSystem(newKey, 'new_key');
    if (key === newKey) throw invalidParam(`The new key is the same as the old one ('${key}').`);
    const experimentId = await activeExperiment(ws, input.experiment_id);
    return runInTransaction(store, async (tx) => {
      const clashes = await findTagRenameClashes(tx, experimentId, key, newKey, 6);
      if (clashes.length > 0) {
        const runs = clashes.slice(0, 5).join(', ') + (clashes.length > 5 ? ', …' : '');
        throw invalidParam(
          `Cannot rename tag '${key}' to '${newKey}': run(s) ${runs} already hold '${newKey}' with a different value. Nothing was changed.`,
        );
      }
      const had = await countExperimentRunsWithTag(tx, experimentId, key);
      if (had === 0) throw notFound(`No run of experiment ${input.experiment_id} has tag '${key}'.`);
      // Runs holding both keys with equal values keep the existing `new_key` tag.
      await renameExperimentRunTag(tx, experimentId, key, newKey);
      // The old key stays registered (a suggestion that matches nothing): see experiment-keys.ts.
      await registerExperimentKeys(tx, [{ experimentId, kind: 'tag', key: newKey }]);
      return { runs_updated: had };
    });
  }

  async function deleteKey(
    ws: Workspace,
    input: { experiment_id: string; key: string },
  ): Promise<RunTags.RunsUpdatedResponse> {
    validateKey(input.key, 'tag key');
    refuseSystem(input.key, 'key');
    const experimentId = await activeExperiment(ws, input.experiment_id);
    const n = await deleteExperimentRunTag(db, experimentId, input.key);
    if (n === 0) throw notFound(`No run of experiment ${input.experiment_id} has tag '${input.key}'.`);
    return { runs_updated: n };
  }

  /** Sets `key=value` on every named run, or on none: unknown runs are a 404, deleted ones a 400. */
  async function setOnRuns(
    ws: Workspace,
    input: { run_ids?: string[]; key: string; value?: string },
  ): Promise<RunTags.RunsUpdatedResponse> {
    const value = input.value ?? '';
    validateRunTag(input.key, value);
    refuseSystem(input.key, 'key');
    return runInTransaction(store, async (tx) => {
      const runs = await selectRuns(tx, ws, input.run_ids);
      const deleted = runs.filter((r) => r.lifecycle_stage !== 'active').map((r) => r.run_uuid);
      if (deleted.length > 0)
        throw invalidParam(`Tags can be set only on active runs; deleted: ${listed(deleted)}. Nothing was changed.`);
      await upsertRunTagOnRuns(
        tx,
        runs.map((r) => r.id),
        input.key,
        value,
      );
      await registerExperimentKeys(
        tx,
        runs.map((r) => ({ experimentId: r.experiment_id, kind: 'tag', key: input.key })),
      );
      return { runs_updated: runs.length };
    });
  }

  return { listKeys, renameKey, deleteKey, setOnRuns };
}

export type RunTagService = ReturnType<typeof createRunTagService>;
