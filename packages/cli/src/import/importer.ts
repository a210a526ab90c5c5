import type { ImportCounts, ImportReport } from '@trove/protocol';
import {
  findExperiment,
  findLoggedModel,
  findRegisteredModel,
  findRunByUuid,
  importedModelSummary,
  purgeLoggedModel,
  purgeRuns,
} from '@trove/store';
import { Checkpoint } from './checkpoint.ts';
import { writeExperiment } from './experiment-writer.ts';
import { ImportConflict } from './import-conflict.ts';
import { addCounts, emptyCounts, sameCounts } from './import-counts.ts';
import type { ImportSource } from './import-source.ts';
import {
  sourceLoggedModelChecksums,
  sourceLoggedModelCounts,
  targetLoggedModelCounts,
} from './logged-model-verifier.ts';
import { writeLoggedModel } from './logged-model-writer.ts';
import { type MovedRoots, writeModel } from './model-writer.ts';
import { Progress } from './progress.ts';
import { sourceChecksums, sourceRunCounts, targetRunCounts } from './run-verifier.ts';
import { type Checksums, type RunWriteHooks, targetArtifactUri, writeRun } from './run-writer.ts';
import type { TroveTarget } from './trove-target.ts';

export interface ImportOptions {
  /** The checkpoint log (see checkpoint.ts). */
  checkpoint: string;
  progress?: Progress;
  hooks?: RunWriteHooks;
}

/**
 * Copies everything the source holds into the target, run by run, then the registry, and verifies
 * each run as it goes: counts from the source against counts read back from Trove, and every
 * artifact's SHA-256. Runs already imported (checkpoint `done`, or found in Trove equal to the
 * source) are verified and skipped; a run the checkpoint shows half-written is removed and written
 * again; anything else already in Trove that differs stops the import with an `ImportConflict`.
 */
export async function runImport(
  source: ImportSource,
  target: TroveTarget,
  options: ImportOptions,
): Promise<ImportReport> {
  const started = Date.now();
  const checkpoint = new Checkpoint(options.checkpoint);
  const progress = options.progress ?? new Progress(null);
  const src = emptyCounts();
  const dst = emptyCounts();
  const mismatches: string[] = [];
  let checksummed = 0;
  let skippedRuns = 0;
  let importedRuns = 0;
  let skippedLoggedModels = 0;
  let importedLoggedModels = 0;
  const movedRoots: MovedRoots = new Map();
  const hooks: RunWriteHooks = {
    ...options.hooks,
    onPoints: (n) => {
      progress.points += n;
      progress.tick();
    },
    onArtifactBytes: (n) => {
      progress.bytes += n;
    },
  };

  for (const experiment of await source.experiments()) {
    const experimentId = await writeExperiment(target, experiment);
    src.experiments++;
    const row = await findExperiment(target.store.db, experimentId);
    if (row && Number(row.workspace_id) === target.workspace.id) dst.experiments++;

    for await (const run of source.runs(experiment.experiment_id)) {
      const uuid = run.info.run_id;
      const artifactUri = targetArtifactUri(run, experimentId);
      if (artifactUri !== run.info.artifact_uri) movedRoots.set(uuid, { from: run.info.artifact_uri, to: artifactUri });
      const { counts, files } = await sourceRunCounts(source, run);

      let existing = await findRunByUuid(target.store.db, uuid);
      let sums: Checksums | undefined;
      if (existing && checkpoint.state(uuid) === 'started') {
        await purgeRuns(target.store.db, [existing.id]);
        existing = undefined;
      }
      if (existing) {
        counts.metricPoints = await source.metricCount(run);
        if (checkpoint.state(uuid) !== 'done') {
          sums = await sourceChecksums(source, run, files);
          const have = await targetRunCounts(target, existing.id, existing.artifact_uri, sums);
          const { runs: _r, ...want } = counts;
          if (
            Number(existing.experiment_id) !== experimentId ||
            !sameCounts(want, have.counts) ||
            have.mismatches.length > 0
          )
            throw new ImportConflict(
              `run ${uuid} exists in Trove and differs from the source (not written by this import's checkpoint ${options.checkpoint})`,
            );
          checkpoint.mark(uuid, 'done');
        }
        skippedRuns++;
      } else {
        checkpoint.mark(uuid, 'started');
        const written = await writeRun(target, source, run, experimentId, files, hooks);
        sums = written.checksums;
        // Points counted as they were read from the source: reading them again only to count costs a second pass over REST.
        counts.metricPoints = written.points;
        checkpoint.mark(uuid, 'done');
        importedRuns++;
        progress.runs++;
        progress.tick();
      }
      addCounts(src, counts);
      const row = await findRunByUuid(target.store.db, uuid);
      if (!row) throw new Error(`run ${uuid} is missing from Trove after its import`);
      const verified = await targetRunCounts(
        target,
        row.id,
        row.artifact_uri,
        sums ?? (await sourceChecksums(source, run, files)),
      );
      addCounts(dst, verified.counts);
      checksummed += verified.checked;
      for (const path of verified.mismatches) mismatches.push(`${uuid}/${path}`);
    }

    // After the runs: a logged model names its source run, and registered versions name the model.
    for await (const m of source.loggedModels?.(experiment.experiment_id) ?? []) {
      const id = m.model_id;
      const { counts, files } = await sourceLoggedModelCounts(source, m);
      let existing = await findLoggedModel(target.store.db, id);
      let sums: Checksums | undefined;
      if (existing && checkpoint.state(id) === 'started') {
        await purgeLoggedModel(target.store.db, id);
        existing = undefined;
      }
      if (existing) {
        if (checkpoint.state(id) !== 'done') {
          sums = await sourceLoggedModelChecksums(source, m, files);
          const have = await targetLoggedModelCounts(target, id, existing.artifact_uri, sums);
          if (
            Number(existing.experiment_id) !== experimentId ||
            !sameCounts(counts, have.counts) ||
            have.mismatches.length > 0
          )
            throw new ImportConflict(
              `logged model ${id} exists in Trove and differs from the source (not written by this import's checkpoint ${options.checkpoint})`,
            );
          checkpoint.mark(id, 'done');
        }
        skippedLoggedModels++;
      } else {
        checkpoint.mark(id, 'started');
        sums = await writeLoggedModel(target, source, m, experimentId, files, hooks);
        checkpoint.mark(id, 'done');
        importedLoggedModels++;
      }
      addCounts(src, counts);
      const row = await findLoggedModel(target.store.db, id);
      if (!row) throw new Error(`logged model ${id} is missing from Trove after its import`);
      const verified = await targetLoggedModelCounts(
        target,
        id,
        row.artifact_uri,
        sums ?? (await sourceLoggedModelChecksums(source, m, files)),
      );
      addCounts(dst, verified.counts);
      checksummed += verified.checked;
      for (const path of verified.mismatches) mismatches.push(`${id}/${path}`);
    }
  }

  for (const m of await source.models()) {
    await writeModel(target, m, movedRoots);
    addCounts(src, { models: 1, versions: m.versions.length, aliases: m.model.aliases?.length ?? 0 });
    const row = await findRegisteredModel(target.store.db, target.workspace.id, m.model.name);
    if (row) {
      const have = await importedModelSummary(target.store.db, Number(row.id));
      addCounts(dst, { models: 1, versions: have.versions.length, aliases: have.aliases });
    }
  }
  progress.tick(true);

  return {
    source: source.description,
    target: target.description,
    workspace: target.workspace.name,
    sourceVersion: source.version,
    source_counts: src,
    target_counts: dst,
    checksumMismatches: mismatches,
    checksummed,
    skippedRuns,
    importedRuns,
    skippedLoggedModels,
    importedLoggedModels,
    ok: mismatches.length === 0 && sameCounts(src, dst),
    seconds: (Date.now() - started) / 1000,
  };
}

/** The report as a person reads it: one line per count, source beside Trove. */
export function formatReport(r: ImportReport): string {
  const lines = [`${r.source} → ${r.target} (workspace ${r.workspace}; source ${r.sourceVersion})`];
  for (const k of Object.keys(r.source_counts) as (keyof ImportCounts)[]) {
    const a = r.source_counts[k];
    const b = r.target_counts[k];
    lines.push(`  ${k.padEnd(18)} ${String(a).padStart(12)} ${String(b).padStart(12)}  ${a === b ? 'ok' : 'DIFFERS'}`);
  }
  lines.push(
    `  checksums: ${r.checksummed} artifacts compared by SHA-256, ${r.checksumMismatches.length} differ${r.checksumMismatches.length ? `: ${r.checksumMismatches.slice(0, 10).join(', ')}` : ''}`,
  );
  lines.push(
    `  ${r.importedRuns} runs imported, ${r.skippedRuns} already there; ` +
      `${r.importedLoggedModels} logged models imported, ${r.skippedLoggedModels} already there; ${r.seconds.toFixed(1)} s; ${r.ok ? 'verified' : 'NOT VERIFIED'}`,
  );
  return lines.join('\n');
}
