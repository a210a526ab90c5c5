import { invalidParam } from '@trove/protocol';
import {
  type Store,
  searchExperimentKeyNames,
  searchExperimentNames,
  searchRegisteredModelNames,
  searchRunNames,
  type Visibility,
} from '@trove/store';
import type { Workspace } from './workspace.service.ts';

/**
 * The UI's global search: active experiments, registered models and active runs of one
 * workspace whose name contains the query (case-insensitive), and the metric and param keys of
 * its experiments that contain it; a few of each, names first by length so the closest matches
 * lead. `visible`: what the caller may read (runs and keys follow their experiment).
 */
export function createNameSearchService(store: Store) {
  const { db } = store;

  async function search(
    ws: Workspace,
    input: { q?: string; max_results?: number | bigint },
    visible: { experiments?: Visibility<number>; models?: Visibility<string> } = {},
  ) {
    const q = (input.q ?? '').trim();
    const limit = input.max_results === undefined ? 10 : Number(input.max_results);
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= 50))
      throw invalidParam(
        `Invalid value ${String(input.max_results)} for parameter 'max_results': it must be between 1 and 50.`,
      );
    if (q === '') return { experiments: [], registered_models: [], runs: [], keys: [] };
    const [experiments, models, runs, keys] = await Promise.all([
      searchExperimentNames(db, ws.id, q, limit, visible.experiments),
      searchRegisteredModelNames(db, ws.id, q, limit, visible.models),
      searchRunNames(db, ws.id, q, limit, visible.experiments),
      searchExperimentKeyNames(db, ws.id, q, limit, visible.experiments),
    ]);
    return {
      experiments: experiments.map((e) => ({ experiment_id: String(e.experiment_id), name: e.name })),
      registered_models: models.map((m) => ({ name: m.name })),
      runs: runs.map((r) => ({
        run_id: r.run_uuid,
        run_name: r.name,
        experiment_id: String(r.experiment_id),
        experiment_name: r.experiment_name,
      })),
      keys: keys.map((k) => ({ ...k, experiment_id: String(k.experiment_id) })),
    };
  }

  return { search };
}
