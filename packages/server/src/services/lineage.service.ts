import { invalidParam, Lineage, notFound } from '@trove/protocol';
import { type LineageScope, type Store, walkLineage } from '@trove/store';
import type { Workspace } from './workspace.service.ts';

export interface LineageRequest {
  node: string;
  direction?: Lineage.LineageDirection;
  depth?: number | bigint;
  limit?: number | bigint;
}

function bounded(v: number | bigint | undefined, fallback: number, max: number, name: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw invalidParam(`Invalid value ${String(v)} for parameter '${name}' supplied: between 1 and ${max}.`);
  return n;
}

/**
 * The lineage graph around one node: what it came from (`up`), what came of it (`down`), or both,
 * within one workspace and only through what the caller may read (`visible`). A root the caller
 * may not read is not found, as for every other resource.
 */
export function createLineageService(store: Store) {
  async function walk(
    ws: Workspace,
    input: LineageRequest,
    visible: Omit<LineageScope, 'workspaceId'>,
  ): Promise<Lineage.LineageResponse> {
    const ref = Lineage.parseLineageNodeId(input.node);
    if (ref === undefined)
      throw invalidParam(
        `Invalid lineage node '${input.node}': expected <type>:<id> with type one of ${Lineage.LINEAGE_NODE_TYPES.join(', ')}.`,
      );
    const depth = bounded(input.depth, Lineage.LINEAGE_DEFAULT_DEPTH, Lineage.LINEAGE_MAX_DEPTH, 'depth');
    const limit = bounded(input.limit, Lineage.LINEAGE_DEFAULT_LIMIT, Lineage.LINEAGE_MAX_LIMIT, 'limit');
    const graph = await walkLineage(store.db, { workspaceId: ws.id, ...visible }, ref, {
      direction: input.direction ?? 'both',
      depth,
      limit,
    });
    if (graph === undefined) throw notFound(`Lineage node '${input.node}' not found`);
    return graph;
  }

  return { walk };
}

export type LineageService = ReturnType<typeof createLineageService>;
