import type { ImportCounts } from '@trove/protocol';

export function emptyCounts(): ImportCounts {
  return {
    experiments: 0,
    runs: 0,
    params: 0,
    tags: 0,
    metricPoints: 0,
    datasetInputs: 0,
    models: 0,
    versions: 0,
    aliases: 0,
    loggedModels: 0,
    loggedModelParams: 0,
    loggedModelTags: 0,
    loggedModelMetrics: 0,
    modelEdges: 0,
    artifacts: 0,
    artifactBytes: 0,
  };
}

export function addCounts(into: ImportCounts, more: Partial<ImportCounts>): void {
  for (const [k, v] of Object.entries(more) as [keyof ImportCounts, number][]) into[k] += v;
}

export function sameCounts(a: Partial<ImportCounts>, b: Partial<ImportCounts>): boolean {
  return (Object.keys(a) as (keyof ImportCounts)[]).every((k) => a[k] === b[k]);
}
