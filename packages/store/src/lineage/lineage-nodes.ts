import type { Lineage } from '@trove/protocol';
import { isVisible, type Visibility } from '../search/visibility.ts';
import type { AliasRow, DatasetRow, DeploymentNodeRow, LoggedModelRow, RunRow, VersionRow } from './lineage-rows.ts';

type LineageNode = Lineage.LineageNode;
type LineageEdge = Lineage.LineageEdge;

/** What the walk needs to take a node further: its keys in the store. */
export type NodeKey =
  | { type: 'run'; pk: number; uuid: string }
  | { type: 'dataset'; id: number }
  | { type: 'logged_model'; modelId: string }
  | {
      type: 'model_version';
      modelId: number;
      version: number;
      runId: string | null;
      loggedModelId: string | null;
      stage: string;
      name: string;
    }
  | { type: 'alias'; modelId: number; version: number }
  | { type: 'stage'; modelId: number; stage: string }
  | { type: 'deployment'; modelId: number; version: number };

export interface Found {
  node: LineageNode;
  key: NodeKey;
  /** What decides whether the caller may see it. */
  scope: { experimentId: number } | { modelName: string };
}

/** Where the walk may go: one workspace, and within it what the caller may read. */
export interface LineageScope {
  workspaceId: number;
  experiments?: Visibility<number>;
  models?: Visibility<string>;
}

export const runNode = (r: RunRow): Found => ({
  node: {
    id: `run:${r.run_uuid}`,
    type: 'run',
    label: r.name || r.run_uuid,
    attributes: {
      run_id: r.run_uuid,
      experiment_id: String(r.experiment_id),
      status: r.status,
      git_commit: r.git_commit,
      entry_point: r.entry_point,
      start_time: r.start_time,
      lifecycle_stage: r.lifecycle_stage,
    },
  },
  key: { type: 'run', pk: r.pk, uuid: r.run_uuid },
  scope: { experimentId: r.experiment_id },
});

export const datasetNode = (d: DatasetRow): Found => ({
  node: {
    id: `dataset:${d.experiment_id}/${d.name}/${d.digest}`,
    type: 'dataset',
    label: d.name,
    attributes: {
      name: d.name,
      digest: d.digest,
      source: d.source,
      source_type: d.source_type,
      experiment_id: String(d.experiment_id),
    },
  },
  key: { type: 'dataset', id: d.id },
  scope: { experimentId: d.experiment_id },
});

export const loggedModelNode = (m: LoggedModelRow): Found => ({
  node: {
    id: `logged_model:${m.model_id}`,
    type: 'logged_model',
    label: m.name,
    attributes: {
      model_id: m.model_id,
      name: m.name,
      experiment_id: String(m.experiment_id),
      status: m.status,
      creation_time: m.creation_time,
    },
  },
  key: { type: 'logged_model', modelId: m.model_id },
  scope: { experimentId: m.experiment_id },
});

export const versionNode = (v: VersionRow): Found => ({
  node: {
    id: `model_version:${v.model_name}/${v.version}`,
    type: 'model_version',
    label: `${v.model_name} v${v.version}`,
    attributes: { name: v.model_name, version: v.version, stage: v.current_stage, creation_time: v.creation_time },
  },
  key: {
    type: 'model_version',
    modelId: v.model_id,
    version: v.version,
    // Without a run id, a `runs:/<id>/…` source still names the run (read going up only).
    runId: v.run_id ?? /^runs:\/([^/]+)\//.exec(v.source)?.[1] ?? null,
    loggedModelId: v.logged_model_id,
    stage: v.current_stage,
    name: v.model_name,
  },
  scope: { modelName: v.model_name },
});

export const aliasNode = (a: AliasRow): Found => ({
  node: {
    id: `alias:${a.model_name}@${a.alias}`,
    type: 'alias',
    label: `@${a.alias}`,
    attributes: { name: a.model_name, alias: a.alias, version: a.version },
  },
  key: { type: 'alias', modelId: a.model_id, version: a.version },
  scope: { modelName: a.model_name },
});

export const stageNode = (modelId: number, name: string, stage: string): Found => ({
  node: { id: `stage:${name}/${stage}`, type: 'stage', label: stage, attributes: { name, stage } },
  key: { type: 'stage', modelId, stage },
  scope: { modelName: name },
});

export const deploymentNode = (d: DeploymentNodeRow): Found => ({
  node: {
    id: `deployment:${d.id}`,
    type: 'deployment',
    label: d.environment,
    attributes: {
      deployment_id: String(d.id),
      name: d.model_name,
      version: d.version,
      environment: d.environment,
      status: d.status,
      url: d.url,
      user_id: d.actor,
      time: d.time,
    },
  },
  key: { type: 'deployment', modelId: d.model_id, version: d.version },
  scope: { modelName: d.model_name },
});

/** The nodes and edges found so far, at most `limit` nodes, only what the scope lets the caller see. */
export class LineageGraph {
  readonly nodes = new Map<string, Found>();
  private readonly edges = new Map<string, LineageEdge>();
  truncated = false;

  constructor(
    private readonly scope: LineageScope,
    readonly limit: number,
  ) {}

  visible(found: Found): boolean {
    const s = found.scope;
    return 'experimentId' in s
      ? isVisible(this.scope.experiments, s.experimentId)
      : isVisible(this.scope.models, s.modelName);
  }

  /** Adds a node; whether it is in the graph afterwards. */
  add(found: Found): boolean {
    if (this.nodes.has(found.node.id)) return true;
    if (!this.visible(found)) return false;
    if (this.nodes.size >= this.limit) {
      this.truncated = true;
      return false;
    }
    this.nodes.set(found.node.id, found);
    return true;
  }

  edge(from: string, to: string, kind: LineageEdge['kind']): void {
    if (!this.nodes.has(from) || !this.nodes.has(to)) return;
    this.edges.set(`${from}\u0000${to}\u0000${kind}`, { from, to, kind });
  }

  result(root: string): Lineage.LineageResponse {
    return {
      root,
      nodes: [...this.nodes.values()].map((f) => f.node),
      edges: [...this.edges.values()],
      truncated: this.truncated,
    };
  }
}
