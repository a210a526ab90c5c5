import { randomUUID } from 'node:crypto';
import {
  invalidParam,
  LIMITS,
  notFound,
  type Run,
  type RunStatus,
  readKeyValues,
  type ViewType,
  validateKey,
  validateLength,
} from '@trove/protocol';
import {
  changeRunStatus,
  createRunLookup,
  getRunRowById,
  insertRun,
  insertRunTags,
  isVisible,
  loadRuns,
  type RunRow,
  registerExperimentKeys,
  restoreRun,
  runInTransaction,
  type Store,
  type StoreDb,
  searchRuns,
  softDeleteRun,
  toRunInfo,
  updateRun,
  upsertRunTag,
  type Visibility,
} from '@trove/store';
import type { ExperimentService } from './experiment.service.ts';
import { publishLive } from './live-events.ts';
import { recordEvent } from './registry-events.ts';
import { generateRunName } from './run-names.ts';
import type { Workspace } from './workspace.service.ts';

export const RUN_NAME_TAG = 'mlflow.runName';

/** Reads `run_id`, falling back to the deprecated `run_uuid` (MLflow clients send both). */
export function runIdOf(input: { run_id?: string; run_uuid?: string }): string {
  const id = input.run_id || input.run_uuid;
  if (!id)
    throw invalidParam(
      "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.",
    );
  return id;
}

/** What other parts add to run changes (late-bound by `createServices`). */
export interface RunHooks {
  /** Before an update that may fail the run: work for the transaction in which it does. */
  prepareRunFailed?(run: RunRow): Promise<((tx: StoreDb) => Promise<void>) | undefined>;
}

export function createRunService(store: Store, experiments: ExperimentService, hooks: RunHooks = {}) {
  const { db } = store;
  const findRun = createRunLookup(store);

  async function getRow(ws: Workspace, runUuid: string): Promise<RunRow> {
    const row = await findRun(runUuid);
    if (!row || row.workspace_id !== ws.id) throw notFound(`Run with id=${runUuid} not found`);
    return row;
  }

  async function getActiveRow(ws: Workspace, runUuid: string): Promise<RunRow> {
    const row = await getRow(ws, runUuid);
    if (row.lifecycle_stage !== 'active') {
      throw invalidParam(`The run ${runUuid} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`);
    }
    return row;
  }

  async function present(id: number): Promise<Run> {
    return (await loadRuns(db, [id]))[0];
  }

  async function create(
    ws: Workspace,
    input: {
      experiment_id?: string;
      user_id?: string;
      run_name?: string;
      start_time?: number | bigint;
      tags?: Record<string, unknown>[];
    },
  ): Promise<Run> {
    const exp = await experiments.getRow(ws, input.experiment_id || '0');
    if (exp.lifecycle_stage !== 'active') {
      throw invalidParam(
        `The experiment ${input.experiment_id} must be in the 'active' state. Current state is ${exp.lifecycle_stage}.`,
      );
    }
    const tags = new Map(readKeyValues(input.tags, 'tags').map((t) => [t.key, t.value]));
    for (const [key, value] of tags) validateRunTag(key, value);
    const tagName = tags.get(RUN_NAME_TAG);
    if (input.run_name && tagName !== undefined && tagName !== input.run_name) {
      throw invalidParam(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${input.run_name}', mlflow.runName='${tagName}').`,
      );
    }
    const name = input.run_name || tagName || generateRunName();
    tags.set(RUN_NAME_TAG, name);
    const runUuid = randomUUID().replaceAll('-', '');
    const id = await runInTransaction(store, async (tx) => {
      const runId = await insertRun(tx, {
        runUuid,
        experimentId: exp.experiment_id,
        name,
        userId: input.user_id ?? '',
        startTime: (input.start_time ?? Date.now()) as number,
        artifactUri: `${exp.artifact_location.replace(/\/+$/, '')}/${runUuid}/artifacts`,
      });
      await insertRunTags(
        tx,
        runId,
        [...tags].map(([key, value]) => ({ key, value })),
      );
      await registerExperimentKeys(
        tx,
        [...tags.keys()].map((key) => ({ experimentId: exp.experiment_id, kind: 'tag', key })),
      );
      await publishLive(tx, ws.id, [`experiment:${exp.experiment_id}`], 'run_created', {
        run_id: runUuid,
        experiment_id: String(exp.experiment_id),
        run_name: name,
      });
      return runId;
    });
    return present(id);
  }

  async function get(ws: Workspace, runUuid: string): Promise<Run> {
    return present((await getRow(ws, runUuid)).id);
  }

  async function update(
    ws: Workspace,
    runUuid: string,
    input: { status?: RunStatus; end_time?: number | bigint; run_name?: string },
  ) {
    const row = await getActiveRow(ws, runUuid);
    const onFailed = input.status === 'FAILED' ? await hooks.prepareRunFailed?.(row) : undefined;
    await runInTransaction(store, async (tx) => {
      const set: { status?: string; end_time?: number; name?: string } = {};
      let recorded = false;
      if (input.status === 'FINISHED' || input.status === 'FAILED') {
        // Guarded on the old status so concurrent updates emit the run event once.
        if (await changeRunStatus(tx, row.id, input.status)) {
          recorded = true;
          const payload = {
            run_id: row.run_uuid,
            experiment_id: String(row.experiment_id),
            run_name: input.run_name || row.name,
            status: input.status,
            user_id: row.user_id,
            end_time: input.end_time === undefined ? null : Number(input.end_time),
          };
          await recordEvent(tx, {
            workspaceId: ws.id,
            modelId: null,
            modelName: '',
            runId: row.run_uuid,
            entity: 'run',
            action: input.status.toLowerCase(),
            actor: row.user_id || undefined,
            payload,
          });
          if (input.status === 'FAILED') await onFailed?.(tx);
        }
      }
      // recordEvent already told open pages of FINISHED/FAILED; other changes (RUNNING, KILLED, a rename) here.
      if (!recorded && (input.status !== undefined || input.run_name))
        await publishLive(tx, ws.id, [`run:${row.run_uuid}`, `experiment:${row.experiment_id}`], 'run', {
          entity: 'run',
          action: 'updated',
          run_id: row.run_uuid,
          payload: {
            run_id: row.run_uuid,
            experiment_id: String(row.experiment_id),
            status: input.status ?? row.status,
            ...(input.run_name ? { run_name: input.run_name } : {}),
          },
        });
      if (input.status) set.status = input.status;
      if (input.end_time !== undefined) set.end_time = input.end_time as number;
      if (input.run_name) {
        set.name = input.run_name;
        await upsertRunTag(tx, row.id, RUN_NAME_TAG, input.run_name);
        await registerExperimentKeys(tx, [{ experimentId: row.experiment_id, kind: 'tag', key: RUN_NAME_TAG }]);
      }
      await updateRun(tx, row.id, set);
    });
    return toRunInfo(await getRunRowById(db, row.id));
  }

  async function remove(ws: Workspace, runUuid: string): Promise<void> {
    const row = await getRow(ws, runUuid);
    await softDeleteRun(db, row.id, Date.now());
  }

  async function restore(ws: Workspace, runUuid: string): Promise<void> {
    const row = await getRow(ws, runUuid);
    await restoreRun(db, row.id);
  }

  async function search(
    ws: Workspace,
    input: {
      experiment_ids?: string[];
      filter?: string;
      run_view_type?: ViewType;
      max_results?: number | bigint;
      order_by?: string[];
      page_token?: string;
    },
    visible?: Visibility<number>,
  ) {
    const max = input.max_results === undefined ? LIMITS.searchRunsDefault : Number(input.max_results);
    if (!(max >= 1 && max <= LIMITS.searchRunsMaxResults)) {
      throw invalidParam(
        `Invalid value ${max} for parameter 'max_results' supplied. It must be at most ${LIMITS.searchRunsMaxResults}, and at least 1.`,
      );
    }
    const ids: number[] = [];
    for (const id of input.experiment_ids ?? []) {
      // Unknown or foreign experiments simply contribute no runs, as in MLflow.
      try {
        const experimentId = (await experiments.getRow(ws, id)).experiment_id;
        // Experiments the caller may not read contribute no runs, like unknown ones.
        if (isVisible(visible, experimentId)) ids.push(experimentId);
      } catch (e) {
        if ((e as { code?: string }).code !== 'RESOURCE_DOES_NOT_EXIST') throw e;
      }
    }
    const found = await searchRuns(store, {
      experimentIds: ids,
      filter: input.filter,
      viewType: input.run_view_type ?? 'ACTIVE_ONLY',
      maxResults: max,
      orderBy: input.order_by ?? [],
      pageToken: input.page_token,
    });
    return { runs: await loadRuns(db, found.runIds), nextPageToken: found.nextPageToken };
  }

  return { getRow, getActiveRow, create, get, update, remove, restore, search };
}

export type RunService = ReturnType<typeof createRunService>;

export function validateRunTag(key: string, value: string): void {
  validateKey(key, 'tag key');
  validateLength(value, LIMITS.runTagValueLength, `tag value for '${key}'`);
}

export function validateParam(key: string, value: string): void {
  validateKey(key, 'param key');
  validateLength(value, LIMITS.paramValueLength, `param value for '${key}'`);
}
