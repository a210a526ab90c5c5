import { Lineage } from '@trove/protocol';

/** Per node type: a one-letter badge, the name shown, and the attribute shown under the label. */
export const NODE_KINDS: Record<Lineage.LineageNodeType, { badge: string; name: string; key?: string }> = {
  dataset: { badge: 'D', name: 'Dataset', key: 'digest' },
  run: { badge: 'R', name: 'Run', key: 'status' },
  logged_model: { badge: 'L', name: 'Logged model', key: 'status' },
  model_version: { badge: 'V', name: 'Model version', key: 'stage' },
  alias: { badge: '@', name: 'Alias' },
  stage: { badge: 'S', name: 'Stage' },
  deployment: { badge: '⇪', name: 'Deployment', key: 'environment' },
};

const runPage = (runId: string, experimentId: unknown) =>
  experimentId ? `/experiments/${experimentId}/runs/${runId}` : `/runs/${runId}`;
const modelPage = (name: string) => `/models/${encodeURIComponent(name)}`;

/** The app page a node stands for, when it has one. */
export function nodeHref(node: Lineage.LineageNode): string | undefined {
  const ref = Lineage.parseLineageNodeId(node.id);
  const a = node.attributes;
  switch (ref?.type) {
    case 'run':
      return runPage(ref.runId, a.experiment_id);
    case 'model_version':
      return `${modelPage(ref.name)}/versions/${ref.version}`;
    case 'alias':
    case 'stage':
      return modelPage(ref.name);
    case 'deployment':
      return typeof a.name === 'string' && a.version !== null && a.version !== undefined
        ? `${modelPage(a.name)}/versions/${a.version}`
        : undefined;
    case 'dataset':
      return `/experiments/${ref.experimentId}`;
    case 'logged_model':
      return typeof a.source_run_id === 'string' && a.source_run_id
        ? runPage(a.source_run_id, a.experiment_id)
        : a.experiment_id
          ? `/experiments/${a.experiment_id}`
          : undefined;
    default:
      return undefined;
  }
}

/** What the link to a node's page says. */
export function hrefLabel(node: Lineage.LineageNode): string {
  switch (node.type) {
    case 'run':
      return 'Open run';
    case 'model_version':
    case 'deployment':
      return 'Open model version';
    case 'alias':
    case 'stage':
      return 'Open model';
    case 'logged_model':
      return node.attributes.source_run_id ? 'Open source run' : 'Open experiment';
    default:
      return 'Open experiment';
  }
}
