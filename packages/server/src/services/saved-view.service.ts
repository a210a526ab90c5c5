import { alreadyExists, invalidParam, notFound, parseJson, stringifyJson, TroveError, Views } from '@trove/protocol';
import {
  deleteSavedView,
  findSavedView,
  findSavedViewByName,
  insertSavedView,
  listSavedViews,
  runInTransaction,
  type SavedViewRow,
  type Store,
  updateSavedView,
} from '@trove/store';
import type { ExperimentService } from './experiment.service.ts';
import { decodeOffsetToken, encodeOffsetToken, pageSize } from './offset-token.ts';
import { requireActor } from './review-policy.service.ts';
import type { Workspace } from './workspace.service.ts';

/**
 * Named views of an experiment's runs table, shared within the workspace: anyone in it may list,
 * read and apply them; only the owner updates or deletes one.
 */
export function createSavedViewService(store: Store, experiments: ExperimentService) {
  const { db } = store;

  function present(row: SavedViewRow) {
    return {
      view_id: String(row.id),
      experiment_id: String(row.experiment_id),
      name: row.name,
      owner: row.owner,
      state: parseJson(row.state),
      creation_timestamp: Number(row.creation_time),
      last_updated_timestamp: Number(row.last_update_time),
    };
  }

  function checkName(name: string): string {
    if (name.trim() === '') throw invalidParam("Missing value for required parameter 'name'.");
    if (name.length > Views.VIEW_NAME_MAX_LENGTH)
      throw invalidParam(
        `View name had length ${name.length}, which exceeded length limit of ${Views.VIEW_NAME_MAX_LENGTH}.`,
      );
    return name;
  }

  async function nameFree(experimentId: number, name: string, within = db): Promise<void> {
    if (await findSavedViewByName(within, experimentId, name))
      throw alreadyExists(`A view named '${name}' already exists in experiment ${experimentId}.`);
  }

  async function create(
    ws: Workspace,
    experimentId: string,
    input: { name: string; state: Record<string, unknown> },
    actor: string | undefined,
  ) {
    const owner = requireActor(actor, 'Saving a view');
    const name = checkName(input.name);
    const state = stringifyJson(Views.parseViewState(input.state));
    const experiment = await experiments.getRow(ws, experimentId);
    const now = Date.now();
    const row = await runInTransaction(store, async (tx) => {
      await nameFree(experiment.experiment_id, name, tx);
      return insertSavedView(tx, {
        workspace_id: ws.id,
        experiment_id: experiment.experiment_id,
        name,
        owner,
        state,
        creation_time: now,
        last_update_time: now,
      });
    });
    return { view: present(row) };
  }

  async function list(
    ws: Workspace,
    experimentId: string,
    input: { max_results?: number | bigint; page_token?: string },
  ) {
    const experiment = await experiments.getRow(ws, experimentId);
    const max = pageSize(input.max_results);
    const offset = decodeOffsetToken(input.page_token);
    const rows = await listSavedViews(db, experiment.experiment_id, max + 1, offset);
    const page = rows.slice(0, max);
    return {
      views: page.map(present),
      next_page_token: rows.length > max ? encodeOffsetToken(offset + max) : undefined,
    };
  }

  async function getRow(ws: Workspace, id: string): Promise<SavedViewRow> {
    if (!/^\d{1,15}$/.test(id)) throw invalidParam(`View id must be an integer, got '${id.slice(0, 64)}'.`);
    const row = await findSavedView(db, ws.id, Number(id));
    if (!row) throw notFound(`View ${id} not found.`);
    return row;
  }

  /** `ownerChecked`: the authorization layer already allowed the caller (auth on: the owner or a workspace manager). */
  async function own(
    ws: Workspace,
    id: string,
    actor: string | undefined,
    what: string,
    ownerChecked: boolean,
  ): Promise<SavedViewRow> {
    const user = requireActor(actor, what);
    const row = await getRow(ws, id);
    if (!ownerChecked && row.owner !== user)
      throw new TroveError(
        'PERMISSION_DENIED',
        `View ${id} belongs to '${row.owner}'; only its owner may change or delete it.`,
      );
    return row;
  }

  async function get(ws: Workspace, id: string) {
    return { view: present(await getRow(ws, id)) };
  }

  async function update(
    ws: Workspace,
    id: string,
    input: { name?: string; state?: Record<string, unknown> },
    actor: string | undefined,
    ownerChecked = false,
  ) {
    const name = input.name === undefined ? undefined : checkName(input.name);
    const state = input.state === undefined ? undefined : stringifyJson(Views.parseViewState(input.state));
    const row = await own(ws, id, actor, 'Changing a view', ownerChecked);
    const now = Date.now();
    await runInTransaction(store, async (tx) => {
      if (name !== undefined && name !== row.name) await nameFree(row.experiment_id, name, tx);
      await updateSavedView(tx, row.id, { name, state, last_update_time: now });
    });
    return { view: present({ ...row, name: name ?? row.name, state: state ?? row.state, last_update_time: now }) };
  }

  async function remove(ws: Workspace, id: string, actor: string | undefined, ownerChecked = false): Promise<void> {
    const row = await own(ws, id, actor, 'Deleting a view', ownerChecked);
    await deleteSavedView(db, row.id);
  }

  return { create, list, get, update, remove };
}

export type SavedViewService = ReturnType<typeof createSavedViewService>;
