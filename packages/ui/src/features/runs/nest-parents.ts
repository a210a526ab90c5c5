/**
 * Nesting child runs whose parent is not loaded yet (newest first puts a sweep's children on the
 * first page and their parent pages later): the parents are fetched by id and placed where their
 * first child is, so the children nest under them. Pure.
 */
import type { Run } from '../../api/types.ts';
import { parentOf } from './run-rows.ts';

/** Parent run ids the loaded runs name but do not hold, in the order their first child comes. */
export function missingParents(runs: readonly Run[]): string[] {
  const loaded = new Set(runs.map((r) => r.info.run_id));
  const out = new Set<string>();
  for (const run of runs) {
    const parent = parentOf(run);
    if (parent !== undefined && !loaded.has(parent)) out.add(parent);
  }
  return [...out];
}

/** `runs` with each of `parents` not already among them placed just before its first child. */
export function withParents(runs: readonly Run[], parents: readonly Run[]): Run[] {
  if (parents.length === 0) return runs as Run[];
  const loaded = new Set(runs.map((r) => r.info.run_id));
  const waiting = new Map(parents.filter((p) => !loaded.has(p.info.run_id)).map((p) => [p.info.run_id, p]));
  if (waiting.size === 0) return runs as Run[];
  const out: Run[] = [];
  for (const run of runs) {
    const parentId = parentOf(run);
    const parent = parentId === undefined ? undefined : waiting.get(parentId);
    if (parent) {
      out.push(parent);
      waiting.delete(parentId as string);
    }
    out.push(run);
  }
  return out;
}

/** A runs-search filter for these run ids (MLflow's `IN` list; ids are hex, quoting is plain). */
export function runIdFilter(ids: readonly string[]): string {
  return `attributes.run_id IN (${ids.map((id) => `'${id.replaceAll("'", "\\'")}'`).join(', ')})`;
}
