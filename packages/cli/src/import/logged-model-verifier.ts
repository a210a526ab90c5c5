import type { ImportArtifact, ImportCounts, ImportLoggedModel } from '@trove/protocol';
import { importedLoggedModelCounts } from '@trove/store';
import { sha256Of } from './artifact-copy.ts';
import type { ImportSource } from './import-source.ts';
import { targetChecksums } from './run-verifier.ts';
import type { Checksums } from './run-writer.ts';
import type { TroveTarget } from './trove-target.ts';

type LoggedModelCounts = Pick<
  ImportCounts,
  'loggedModels' | 'loggedModelParams' | 'loggedModelTags' | 'loggedModelMetrics' | 'artifacts' | 'artifactBytes'
>;

/** What the source holds for one logged model, and its artifact files. */
export async function sourceLoggedModelCounts(
  source: ImportSource,
  m: ImportLoggedModel,
): Promise<{ counts: LoggedModelCounts; files: ImportArtifact[] }> {
  const files: ImportArtifact[] = [];
  if (source.loggedModelArtifacts) for await (const a of source.loggedModelArtifacts(m)) files.push(a);
  return {
    files,
    counts: {
      loggedModels: 1,
      loggedModelParams: m.params.length,
      loggedModelTags: m.tags.length,
      loggedModelMetrics: m.metrics.length,
      artifacts: files.length,
      artifactBytes: files.reduce((n, f) => n + f.size, 0),
    },
  };
}

/** What Trove holds for the logged model; artifacts read back and hashed against the source's SHA-256. */
export async function targetLoggedModelCounts(
  target: TroveTarget,
  modelId: string,
  artifactUri: string,
  sourceSums: Checksums,
): Promise<{ counts: LoggedModelCounts; mismatches: string[]; checked: number }> {
  const rows = await importedLoggedModelCounts(target.store.db, modelId);
  const { artifacts, artifactBytes, mismatches, checked } = await targetChecksums(target, artifactUri, sourceSums);
  return { counts: { loggedModels: 1, ...rows, artifacts, artifactBytes }, mismatches, checked };
}

/** SHA-256 of each of the logged model's source artifacts, read again (for models imported earlier). */
export async function sourceLoggedModelChecksums(
  source: ImportSource,
  m: ImportLoggedModel,
  files: ImportArtifact[],
): Promise<Checksums> {
  const sums: Checksums = new Map();
  const open = source.openLoggedModelArtifact;
  if (open) for (const f of files) sums.set(f.path, await sha256Of(await open.call(source, m, f.path)));
  return sums;
}
