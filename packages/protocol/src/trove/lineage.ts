import { defineMessage, enumOf, i32, str } from '../message.ts';

// The lineage graph (`GET /api/trove/v1/lineage`): datasets → runs → logged models → model
// versions → aliases, stages, deployments → the runs that consume them.

export const LINEAGE_NODE_TYPES = [
  'dataset',
  'run',
  'logged_model',
  'model_version',
  'alias',
  'stage',
  'deployment',
] as const;
export type LineageNodeType = (typeof LINEAGE_NODE_TYPES)[number];

export type LineageEdgeKind =
  | 'input'
  | 'output'
  | 'parent'
  | 'produced'
  | 'registered_as'
  | 'alias'
  | 'stage'
  | 'deployed'
  | 'consumed';

export interface LineageNode {
  id: string;
  type: LineageNodeType;
  label: string;
  attributes: Record<string, string | number | null>;
}

/** Edges point along the flow of data (a dataset → the run that read it). */
export interface LineageEdge {
  from: string;
  to: string;
  kind: LineageEdgeKind;
}

export interface LineageResponse {
  root: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** The walk stopped at `limit` nodes before it had reached `depth` everywhere. */
  truncated: boolean;
}

export const LINEAGE_DIRECTIONS = ['up', 'down', 'both'] as const;
export type LineageDirection = (typeof LINEAGE_DIRECTIONS)[number];
export const LINEAGE_MAX_DEPTH = 10;
export const LINEAGE_DEFAULT_DEPTH = 3;
export const LINEAGE_DEFAULT_LIMIT = 500;
export const LINEAGE_MAX_LIMIT = 5000;

export const GetLineage = defineMessage({
  node: str(true),
  direction: enumOf(LINEAGE_DIRECTIONS),
  depth: i32(),
  limit: i32(),
});

/** A node id taken apart; `undefined` from {@link parseLineageNodeId} when it is malformed. */
export type LineageRef =
  | { type: 'dataset'; experimentId: string; name: string; digest: string }
  | { type: 'run'; runId: string }
  | { type: 'logged_model'; modelId: string }
  | { type: 'model_version'; name: string; version: number }
  | { type: 'alias'; name: string; alias: string }
  | { type: 'stage'; name: string; stage: string }
  | { type: 'deployment'; deploymentId: string };

/** The node id of a reference: `run:<run_uuid>`, `model_version:<name>/<version>`, `alias:<name>@<alias>`… */
export function lineageNodeId(ref: LineageRef): string {
  switch (ref.type) {
    case 'dataset':
      return `dataset:${ref.experimentId}/${ref.name}/${ref.digest}`;
    case 'run':
      return `run:${ref.runId}`;
    case 'logged_model':
      return `logged_model:${ref.modelId}`;
    case 'model_version':
      return `model_version:${ref.name}/${ref.version}`;
    case 'alias':
      return `alias:${ref.name}@${ref.alias}`;
    case 'stage':
      return `stage:${ref.name}/${ref.stage}`;
    case 'deployment':
      return `deployment:${ref.deploymentId}`;
  }
}

/**
 * Reads a node id. Model names may hold `/` and `@`, dataset names `/`: the last separator splits
 * (versions, stages, aliases and digests hold none).
 */
export function parseLineageNodeId(id: string): LineageRef | undefined {
  const colon = id.indexOf(':');
  if (colon <= 0) return undefined;
  const type = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (rest === '') return undefined;
  const lastSplit = (sep: string): [string, string] | undefined => {
    const at = rest.lastIndexOf(sep);
    return at <= 0 || at === rest.length - 1 ? undefined : [rest.slice(0, at), rest.slice(at + 1)];
  };
  switch (type) {
    case 'run':
      return { type, runId: rest };
    case 'logged_model':
      return { type, modelId: rest };
    case 'deployment':
      return /^\d{1,15}$/.test(rest) ? { type, deploymentId: rest } : undefined;
    case 'model_version': {
      const parts = lastSplit('/');
      if (!parts || !/^\d{1,9}$/.test(parts[1])) return undefined;
      return { type, name: parts[0], version: Number(parts[1]) };
    }
    case 'alias': {
      const parts = lastSplit('@');
      return parts && { type, name: parts[0], alias: parts[1] };
    }
    case 'stage': {
      const parts = lastSplit('/');
      return parts && { type, name: parts[0], stage: parts[1] };
    }
    case 'dataset': {
      const first = rest.indexOf('/');
      const last = rest.lastIndexOf('/');
      const experimentId = rest.slice(0, first);
      if (first <= 0 || last <= first + 1 || last === rest.length - 1 || !/^\d{1,18}$/.test(experimentId))
        return undefined;
      return { type, experimentId, name: rest.slice(first + 1, last), digest: rest.slice(last + 1) };
    }
    default:
      return undefined;
  }
}
