import { listRegistryEvents, type RegistryEventLog, type Store } from '@trove/store';
import { decodeIdToken, encodeIdToken, pageSize } from './offset-token.ts';
import type { RegisteredModelService } from './registered-model.service.ts';
import type { RunService } from './run.service.ts';
import type { Workspace } from './workspace.service.ts';

type Page = { max_results?: number | bigint; page_token?: string };

/** The activity log: `registry_events` of one registered model (or one run), newest first. */
export function createActivityService(store: Store, models: RegisteredModelService, runs: RunService) {
  const { db } = store;

  async function page(filter: RegistryEventLog, input: Page) {
    const max = pageSize(input.max_results);
    const before = decodeIdToken(input.page_token);
    const rows = await listRegistryEvents(db, filter, { before, limit: max + 1 });
    const events = rows.slice(0, max).map((r) => ({
      event_id: String(r.id),
      timestamp: Number(r.time),
      entity: r.entity,
      action: r.action,
      ...(r.actor ? { actor: r.actor } : {}),
      ...(r.model_name ? { name: r.model_name } : {}),
      ...(r.version === null ? {} : { version: String(r.version) }),
      ...(r.run_id ? { run_id: r.run_id } : {}),
      payload: JSON.parse(r.payload) as unknown,
    }));
    return {
      events,
      next_page_token: rows.length > max ? encodeIdToken(Number(events[events.length - 1].event_id)) : undefined,
    };
  }

  return {
    async forModel(ws: Workspace, name: string, input: Page) {
      return page({ modelId: (await models.getRow(ws, name)).id }, input);
    },
    async forRun(ws: Workspace, runId: string, input: Page) {
      return page({ workspaceId: ws.id, runId: (await runs.getRow(ws, runId)).run_uuid }, input);
    },
  };
}

export type ActivityService = ReturnType<typeof createActivityService>;
