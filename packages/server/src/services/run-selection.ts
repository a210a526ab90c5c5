import { invalidParam, missing, notFound, RunTags } from '@trove/protocol';
import { findWorkspaceRunsByUuid, type RunRef, type Store } from '@trove/store';
import type { Workspace } from './workspace.service.ts';

export type SelectedRun = RunRef;

/**
 * The runs a bulk request names, all of them in the workspace, or a 404 naming the unknown ids
 * (so a bulk write is all or nothing). Duplicates are ignored.
 */
export async function selectRuns(db: Store['db'], ws: Workspace, runIds: string[] | undefined): Promise<SelectedRun[]> {
  if (runIds === undefined || runIds.length === 0) throw missing('run_ids');
  const unique = [...new Set(runIds)];
  if (unique.length > RunTags.BULK_RUNS_MAX)
    throw invalidParam(`A bulk request may name at most ${RunTags.BULK_RUNS_MAX} runs; got ${unique.length}.`);
  const rows = await findWorkspaceRunsByUuid(db, ws.id, unique);
  const found = new Set(rows.map((r) => r.run_uuid));
  const unknown = unique.filter((id) => !found.has(id));
  if (unknown.length > 0)
    throw notFound(`Run${unknown.length > 1 ? 's' : ''} not found: ${listed(unknown)}. Nothing was changed.`);
  return rows;
}

/** The first few items of a list, for error messages. */
export function listed(items: string[], max = 5): string {
  return items.slice(0, max).join(', ') + (items.length > max ? ` and ${items.length - max} more` : '');
}
