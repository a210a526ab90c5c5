import type { Lineage } from '@trove/protocol';
import type { StoreDb } from '../transaction.ts';
import {
  aliasNode,
  datasetNode,
  deploymentNode,
  type Found,
  LineageGraph,
  type LineageScope,
  loggedModelNode,
  type NodeKey,
  runNode,
  stageNode,
  versionNode,
} from './lineage-nodes.ts';
import * as rows from './lineage-rows.ts';

export type { LineageScope } from './lineage-nodes.ts';

type Direction = 'up' | 'down';
type Kind = Lineage.LineageEdgeKind;
type KeyOf<T extends NodeKey['type']> = Extract<NodeKey, { type: T }>;

/**
 * Walks the lineage graph from `root` breadth first, hop by hop: each hop reads each relation once
 * for the whole frontier (`lineage-rows.ts`), so a walk costs a handful of statements per hop
 * whatever the fan-out. Parent/child runs are read by one recursive query per hop that follows
 * the whole family as deep as the walk has hops left. `both` is the union of the walk up and the
 * walk down. Undefined when the root does not exist or the caller may not see it.
 */
export async function walkLineage(
  db: StoreDb,
  scope: LineageScope,
  root: Lineage.LineageRef,
  options: { direction: Lineage.LineageDirection; depth: number; limit: number },
): Promise<Lineage.LineageResponse | undefined> {
  const graph = new LineageGraph(scope, options.limit);
  const start = await findRoot(db, scope.workspaceId, root);
  if (start === undefined || !graph.add(start)) return undefined;
  const directions: Direction[] = options.direction === 'both' ? ['down', 'up'] : [options.direction];
  for (const direction of directions)
    await new Walk(db, scope.workspaceId, graph, direction, options.depth).run(start.node.id);
  return graph.result(start.node.id);
}

class Walk {
  private readonly level = new Map<string, number>();
  /** Runs whose family (children going down, parents going up) a recursive query has already read. */
  private readonly familyRead = new Set<string>();
  private readonly rowLimit: number;

  constructor(
    private readonly db: StoreDb,
    private readonly ws: number,
    private readonly graph: LineageGraph,
    private readonly direction: Direction,
    private readonly depth: number,
  ) {
    // One row more than the graph can hold tells that there was more.
    this.rowLimit = graph.limit + 1;
  }

  async run(rootId: string): Promise<void> {
    this.level.set(rootId, 0);
    for (let hop = 0; hop < this.depth; hop++) {
      const frontier = [...this.level].filter(([, l]) => l === hop).map(([id]) => this.graph.nodes.get(id) as Found);
      if (frontier.length === 0) continue;
      const of = <T extends NodeKey['type']>(type: T) =>
        frontier.filter((f) => f.key.type === type) as (Found & { key: KeyOf<T> })[];
      if (this.direction === 'down') await this.down(hop, of);
      else await this.up(hop, of);
    }
  }

  /** Reached `found` from `fromId` on an edge of `kind`; edges point along the flow of data. */
  private reach(found: Found, fromId: string, kind: Kind, hop: number): boolean {
    if (!this.graph.add(found)) return false;
    const id = found.node.id;
    if (!this.level.has(id)) this.level.set(id, hop);
    if (this.direction === 'down') this.graph.edge(fromId, id, kind);
    else this.graph.edge(id, fromId, kind);
    return true;
  }

  private noteRows(count: number): void {
    if (count >= this.rowLimit) this.graph.truncated = true;
  }

  private async down(
    hop: number,
    of: <T extends NodeKey['type']>(type: T) => (Found & { key: KeyOf<T> })[],
  ): Promise<void> {
    const next = hop + 1;
    const { db, ws, rowLimit } = this;
    const datasets = of('dataset');
    const runs = of('run');
    const models = of('logged_model');
    const versions = of('model_version');
    const byDataset = new Map(datasets.map((d) => [String(d.key.id), d.node.id]));
    const readers = await rows.runsReadingDatasets(
      db,
      ws,
      datasets.map((d) => d.key.id),
      rowLimit,
    );
    this.noteRows(readers.length);
    for (const r of readers) this.reach(runNode(r), byDataset.get(r.via) as string, 'input', next);

    await this.family(runs, hop);
    const runIds = new Map(runs.map((r) => [r.key.uuid, r.node.id]));
    const produced = await rows.modelsOfRuns(
      db,
      ws,
      'output',
      runs.map((r) => r.key),
      rowLimit,
    );
    this.noteRows(produced.length);
    for (const m of produced) this.reach(loggedModelNode(m), runIds.get(m.via) as string, 'produced', next);
    const fromRuns = await rows.versionsFrom(db, ws, 'run', [...runIds.keys()], rowLimit);
    const modelIds = new Map(models.map((m) => [m.key.modelId, m.node.id]));
    const fromModels = await rows.versionsFrom(db, ws, 'logged_model', [...modelIds.keys()], rowLimit);
    this.noteRows(fromRuns.length + fromModels.length);
    for (const v of fromRuns) this.reach(versionNode(v), runIds.get(v.via) as string, 'registered_as', next);
    for (const v of fromModels) this.reach(versionNode(v), modelIds.get(v.via) as string, 'registered_as', next);

    // Consumers of a logged model, and of a version through the logged model it was registered from.
    const consumedVia = new Map<string, string[]>();
    const consumed = (modelId: string | null, nodeId: string) => {
      if (modelId !== null) consumedVia.set(modelId, [...(consumedVia.get(modelId) ?? []), nodeId]);
    };
    for (const m of models) consumed(m.key.modelId, m.node.id);
    for (const v of versions) consumed(v.key.loggedModelId, v.node.id);
    const consumers = await rows.runsConsumingModels(db, ws, [...consumedVia.keys()], rowLimit);
    this.noteRows(consumers.length);
    for (const r of consumers)
      for (const from of consumedVia.get(r.via) ?? []) this.reach(runNode(r), from, 'consumed', next);

    await this.versionsDown(versions, next);
  }

  /** Aliases, stages and deployments of the versions. */
  private async versionsDown(versions: (Found & { key: KeyOf<'model_version'> })[], next: number): Promise<void> {
    if (versions.length === 0) return;
    const byVersion = new Map(versions.map((v) => [`${v.key.modelId}/${v.key.version}`, v.node.id]));
    const aliases = await rows.aliasesOfModels(this.db, this.ws, [...new Set(versions.map((v) => v.key.modelId))]);
    for (const a of aliases) {
      const from = byVersion.get(`${a.model_id}/${a.version}`);
      if (from !== undefined) this.reach(aliasNode(a), from, 'alias', next);
    }
    for (const v of versions)
      if (v.key.stage !== 'None')
        this.reach(stageNode(v.key.modelId, v.key.name, v.key.stage), v.node.id, 'stage', next);
    const records = await rows.deploymentsOfVersions(
      this.db,
      this.ws,
      versions.map((v) => ({ modelId: v.key.modelId, version: v.key.version })),
    );
    // Newest first: the first record of an environment is what runs there.
    const seen = new Set<string>();
    for (const d of records) {
      const envKey = `${d.model_id}/${d.version}/${d.environment}`;
      if (seen.has(envKey)) continue;
      seen.add(envKey);
      this.reach(deploymentNode(d), byVersion.get(`${d.model_id}/${d.version}`) as string, 'deployed', next);
    }
  }

  /** Children (down) or parents (up) of the runs, as many generations as hops are left, in one query. */
  private async family(runs: (Found & { key: KeyOf<'run'> })[], hop: number): Promise<void> {
    const todo = runs.filter((r) => !this.familyRead.has(r.node.id));
    if (todo.length === 0) return;
    for (const r of todo) this.familyRead.add(r.node.id);
    const read = this.direction === 'down' ? rows.descendantRuns : rows.ancestorRuns;
    const found = await read(
      this.db,
      this.ws,
      todo.map((r) => r.key.uuid),
      this.depth - hop,
      this.rowLimit,
    );
    this.noteRows(found.length);
    // Nearer generations first, so a run is only added once the run it hangs from is in.
    found.sort((a, b) => a.level - b.level);
    for (const r of found) {
      const run = runNode(r);
      const from = `run:${r.via}`;
      if (!this.graph.nodes.has(from)) continue;
      if (this.reach(run, from, 'parent', hop + r.level)) this.familyRead.add(run.node.id);
    }
  }

  private async up(
    hop: number,
    of: <T extends NodeKey['type']>(type: T) => (Found & { key: KeyOf<T> })[],
  ): Promise<void> {
    const next = hop + 1;
    const { db, ws, rowLimit } = this;
    const runs = of('run');
    const runIds = new Map(runs.map((r) => [r.key.uuid, r.node.id]));
    const inputs = await rows.datasetsOfRuns(
      db,
      ws,
      runs.map((r) => r.key.pk),
      rowLimit,
    );
    this.noteRows(inputs.length);
    for (const d of inputs) this.reach(datasetNode(d), runIds.get(d.via) as string, 'input', next);
    await this.family(runs, hop);
    const usedModels = await rows.modelsOfRuns(
      db,
      ws,
      'input',
      runs.map((r) => r.key),
      rowLimit,
    );
    this.noteRows(usedModels.length);
    for (const m of usedModels) this.reach(loggedModelNode(m), runIds.get(m.via) as string, 'consumed', next);
    // A run that loaded a registered version consumed that version too (it resolves to its logged model).
    const usedBy = new Map<string, string[]>();
    for (const m of usedModels)
      usedBy.set(m.model_id, [...(usedBy.get(m.model_id) ?? []), runIds.get(m.via) as string]);
    const usedVersions = await rows.versionsFrom(db, ws, 'logged_model', [...usedBy.keys()], rowLimit);
    for (const v of usedVersions)
      for (const runId of usedBy.get(v.via) ?? []) this.reach(versionNode(v), runId, 'consumed', next);

    const models = of('logged_model');
    const modelIds = new Map(models.map((m) => [m.key.modelId, m.node.id]));
    const producers = await rows.runsProducingModels(db, ws, [...modelIds.keys()], rowLimit);
    this.noteRows(producers.length);
    for (const r of producers) this.reach(runNode(r), modelIds.get(r.via) as string, 'produced', next);

    const versions = of('model_version');
    const sources = new Map<string, string[]>();
    const add = (map: Map<string, string[]>, k: string, v: string) => map.set(k, [...(map.get(k) ?? []), v]);
    const registeredFrom = new Map<string, string[]>();
    for (const v of versions) {
      if (v.key.loggedModelId !== null) add(registeredFrom, v.key.loggedModelId, v.node.id);
      else if (v.key.runId !== null) add(sources, v.key.runId, v.node.id);
    }
    for (const r of await rows.runsByUuid(db, ws, [...sources.keys()], rowLimit))
      for (const to of sources.get(r.run_uuid) ?? []) this.reach(runNode(r), to, 'registered_as', next);
    for (const m of await rows.loggedModelsById(db, ws, [...registeredFrom.keys()]))
      for (const to of registeredFrom.get(m.model_id) ?? []) this.reach(loggedModelNode(m), to, 'registered_as', next);

    await this.toVersions(of('alias'), 'alias', next);
    await this.toVersions(of('stage'), 'stage', next);
    await this.toVersions(of('deployment'), 'deployed', next);
  }

  /** The versions an alias points at, a stage holds, a deployment runs. */
  private async toVersions(
    found: (Found & { key: KeyOf<'alias' | 'stage' | 'deployment'> })[],
    kind: Kind,
    next: number,
  ): Promise<void> {
    if (found.length === 0) return;
    const keys = found.map((f) =>
      f.key.type === 'stage'
        ? { modelId: f.key.modelId, stage: f.key.stage }
        : { modelId: f.key.modelId, version: f.key.version },
    );
    const versions = await rows.versionsByKey(this.db, this.ws, keys, this.rowLimit);
    this.noteRows(versions.length);
    for (const v of versions)
      for (const f of found) {
        const k = f.key;
        const match =
          k.type === 'stage'
            ? k.modelId === v.model_id && k.stage === v.current_stage
            : k.modelId === v.model_id && k.version === v.version;
        if (match) this.reach(versionNode(v), f.node.id, kind, next);
      }
  }
}

/** The root node as the store has it, or undefined. */
async function findRoot(db: StoreDb, ws: number, ref: Lineage.LineageRef): Promise<Found | undefined> {
  switch (ref.type) {
    case 'run': {
      const [r] = await rows.runsByUuid(db, ws, [ref.runId], 1);
      return r && runNode(r);
    }
    case 'dataset': {
      const [d] = await rows.datasetByKey(db, ws, { ...ref, experimentId: Number(ref.experimentId) });
      return d && datasetNode(d);
    }
    case 'logged_model': {
      const [m] = await rows.loggedModelsById(db, ws, [ref.modelId]);
      return m && loggedModelNode(m);
    }
    case 'deployment': {
      const [d] = await rows.deploymentsById(db, ws, [Number(ref.deploymentId)]);
      return d && deploymentNode(d);
    }
  }
  const modelId = await rows.modelIdByName(db, ws, ref.name);
  if (modelId === undefined) return undefined;
  if (ref.type === 'model_version') {
    const [v] = await rows.versionsByKey(db, ws, [{ modelId, version: ref.version }], 1);
    return v && versionNode(v);
  }
  if (ref.type === 'alias') {
    const a = (await rows.aliasesOfModels(db, ws, [modelId])).find((x) => x.alias === ref.alias);
    return a && aliasNode(a);
  }
  if (ref.stage === 'None') return undefined;
  const [held] = await rows.versionsByKey(db, ws, [{ modelId, stage: ref.stage }], 1);
  return held && stageNode(modelId, ref.name, ref.stage);
}
