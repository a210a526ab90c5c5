import type { ImportArtifact, ImportLoggedModel } from '@trove/protocol';
import { insertImportedLoggedModel, runInTransaction } from '@trove/store';
import { copyWithChecksum } from './artifact-copy.ts';
import { proxiedKey } from './artifact-tree.ts';
import type { ImportSource } from './import-source.ts';
import type { Checksums, RunWriteHooks } from './run-writer.ts';
import type { TroveTarget } from './trove-target.ts';

/**
 * Where a logged model's artifacts live in Trove: as for runs, a proxied URI is kept when the
 * experiment keeps its id, else the model moves under the proxy at MLflow's own layout
 * (`<experiment>/models/<model_id>/artifacts`).
 */
export function targetLoggedModelUri(m: ImportLoggedModel, targetExperimentId: number): string {
  if (proxiedKey(m.artifact_uri) !== undefined && m.experiment_id === String(targetExperimentId)) return m.artifact_uri;
  return `mlflow-artifacts:/${targetExperimentId}/models/${m.model_id}/artifacts`;
}

/**
 * Writes one logged model under its own `m-…` id (so `models:/m-…` URIs and versions registered
 * from it keep resolving): its row, params, tags and metric points in one transaction, then its
 * artifacts (`files`, as listed from the source). The checkpoint marks it started first, as for runs.
 */
export async function writeLoggedModel(
  target: TroveTarget,
  source: ImportSource,
  m: ImportLoggedModel,
  experimentId: number,
  files: readonly ImportArtifact[],
  hooks: RunWriteHooks = {},
): Promise<Checksums> {
  const artifactUri = targetLoggedModelUri(m, experimentId);
  await runInTransaction(target.store, (tx) => insertImportedLoggedModel(tx, m, experimentId, artifactUri));
  hooks.afterLoggedModelData?.(m.model_id);
  const open = source.openLoggedModelArtifact;
  if (!open) throw new Error(`${source.description} lists logged model artifacts but cannot read them`);
  const checksums: Checksums = new Map();
  const root = proxiedKey(artifactUri) as string;
  for (const a of files) {
    const { sha256, size } = await copyWithChecksum(
      await open.call(source, m, a.path),
      target.artifacts,
      `${root}/${a.path}`,
    );
    checksums.set(a.path, sha256);
    hooks.onArtifactBytes?.(size);
  }
  return checksums;
}
