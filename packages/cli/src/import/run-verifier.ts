import type { ImportArtifact, ImportCounts, ImportRun } from '@trove/protocol';
import { importedRunCounts } from '@trove/store';
import { sha256Of } from './artifact-copy.ts';
import { proxiedKey, walkArtifacts } from './artifact-tree.ts';
import type { ImportSource } from './import-source.ts';
import type { Checksums } from './run-writer.ts';
import type { TroveTarget } from './trove-target.ts';

type RunCounts = Pick<
  ImportCounts,
  'runs' | 'params' | 'tags' | 'metricPoints' | 'datasetInputs' | 'modelEdges' | 'artifacts' | 'artifactBytes'
>;

/** What the source holds for one run, counted from the source itself; metric points are counted later (see importer.ts). */
export async function sourceRunCounts(
  source: ImportSource,
  run: ImportRun,
): Promise<{ counts: RunCounts; files: ImportArtifact[] }> {
  const files: ImportArtifact[] = [];
  for await (const a of source.artifacts(run)) files.push(a);
  return {
    files,
    counts: {
      runs: 1,
      params: run.params.length,
      tags: run.tags.length,
      metricPoints: 0,
      datasetInputs: run.inputs.length,
      modelEdges: (run.modelInputs?.length ?? 0) + (run.modelOutputs?.length ?? 0),
      artifacts: files.length,
      artifactBytes: files.reduce((n, f) => n + f.size, 0),
    },
  };
}

/** What Trove holds for the run; artifacts read back and hashed against the source's SHA-256. */
export async function targetRunCounts(
  target: TroveTarget,
  runId: number,
  artifactUri: string,
  sourceSums: Checksums,
): Promise<{ counts: RunCounts; mismatches: string[]; checked: number }> {
  const rows = await importedRunCounts(target.store.db, runId);
  const { artifacts, artifactBytes, mismatches, checked } = await targetChecksums(target, artifactUri, sourceSums);
  return { counts: { runs: 1, ...rows, artifacts, artifactBytes }, mismatches, checked };
}

/** The files under an artifact root that the source listed, read back from Trove and hashed against the source's SHA-256. */
export async function targetChecksums(
  target: TroveTarget,
  artifactUri: string,
  sourceSums: Checksums,
): Promise<{ artifacts: number; artifactBytes: number; mismatches: string[]; checked: number }> {
  const root = proxiedKey(artifactUri) as string;
  let artifacts = 0;
  let artifactBytes = 0;
  let checked = 0;
  const mismatches: string[] = [];
  const seen = new Set<string>();
  for await (const a of walkArtifacts(target.artifacts, root)) {
    const path = a.path.slice(root.length + 1);
    if (!sourceSums.has(path)) continue; // files Trove's users added later are not the import's business
    seen.add(path);
    artifacts++;
    artifactBytes += a.size;
    const sum = await sha256Of((await target.artifacts.open(a.path)).stream);
    checked++;
    if (sum !== sourceSums.get(path)) mismatches.push(path);
  }
  for (const path of sourceSums.keys()) if (!seen.has(path)) mismatches.push(path);
  return { artifacts, artifactBytes, mismatches, checked };
}

/** SHA-256 of each source artifact, read again (for runs imported by an earlier invocation). */
export async function sourceChecksums(
  source: ImportSource,
  run: ImportRun,
  files: ImportArtifact[],
): Promise<Checksums> {
  const sums: Checksums = new Map();
  for (const f of files) sums.set(f.path, await sha256Of(await source.openArtifact(run, f.path)));
  return sums;
}
