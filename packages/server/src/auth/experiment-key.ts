import type { Workspace } from '../services/workspace.service.ts';

/**
 * The key grants on the experiment an MLflow id names are stored under: its id as decimal text
 * ("0" is the workspace's Default). MLflow's permission API accepts ids that name no experiment;
 * those are kept as given, and an id nobody granted anything on gets the default, as in MLflow.
 */
export function experimentGrantKey(ws: Workspace, id: string): string {
  if (!/^\d{1,18}$/.test(id)) return id;
  const n = Number(id);
  return String(n === 0 ? (ws.default_experiment_id ?? 0) : n);
}
