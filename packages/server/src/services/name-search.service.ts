import { invalidParam } from '@trove/protocol';
import type { Store } from '@trove/store';
import { sql } from 'kysely';
import type { Workspace } from './workspace.service.ts';

/** `%text%` for a case-insensitive LIKE, with the pattern characters of `text` escaped. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The UI's global search: active experiments, registered models and active runs of one
 * workspace whose name contains the query (case-insensitive), a few of each, names first by length
 * so the closest matches lead.
 */
export function createNameSearchService(store: Store) {
  const { db } = store;

  async function search(ws: Workspace, input: { q?: string; max_results?: number | bigint }) {
    const q = (input.q ?? '').trim();
    const limit = input.max_results === undefined ? 10 : Number(input.max_results);
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= 50))
      throw invalidParam(`Invalid value ${String(input.max_results)} for parameter 'max_results': it must be between 1 and 50.`);
    if (q === '') return { experiments: [], registered_models: [], runs: [] };
    const like = containsPattern(q);
    const nameMatches = (column: string) => sql<boolean>`lower(${sql.ref(column)}) LIKE ${like} ESCAPE '\\'`;
    const [experiments, models, runs] = await Promise.all([
      db
        .selectFrom('experiments')
        .select(['experiment_id', 'name'])
        .where('workspace_id', '=', ws.id)
        .where('lifecycle_stage', '=', 'active')
        .where(nameMatches('name'))
        .orderBy(sql`length(name)`)
        .orderBy('name')
        .limit(limit)
        .execute(),
      db
        .selectFrom('registered_models')
        .select(['name'])
        .where('workspace_id', '=', ws.id)
        .where(nameMatches('name'))
        .orderBy(sql`length(name)`)
        .orderBy('name')
        .limit(limit)
        .execute(),
      db
        .selectFrom('runs as r')
        .innerJoin('experiments as e', 'e.experiment_id', 'r.experiment_id')
        .select(['r.run_uuid', 'r.name', 'r.experiment_id', 'e.name as experiment_name'])
        .where('e.workspace_id', '=', ws.id)
        .where('r.lifecycle_stage', '=', 'active')
        .where(nameMatches('r.name'))
        .orderBy(sql`length(r.name)`)
        .orderBy('r.name')
        .limit(limit)
        .execute(),
    ]);
    return {
      experiments: experiments.map((e) => ({ experiment_id: String(e.experiment_id), name: e.name })),
      registered_models: models.map((m) => ({ name: m.name })),
      runs: runs.map((r) => ({ run_id: r.run_uuid, run_name: r.name, experiment_id: String(r.experiment_id), experiment_name: r.experiment_name })),
    };
  }

  return { search };
}
