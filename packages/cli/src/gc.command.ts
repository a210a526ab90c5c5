import { type ArtifactStore, openArtifactStore, safeArtifactPath } from '@trove/artifacts';
import { parseServerConfig } from '@trove/server';
import { type GarbageRun, openStore, planGarbage, purgeExperiment, purgeRuns } from '@trove/store';
import type { Command } from 'commander';
import { collectTraces, vacuum } from './gc-traces.ts';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30d`, `12h`, `1d12h`, `90m`, `45s`, `2w` → milliseconds. */
export function parseDuration(text: string, flag = '--older-than'): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new Error(`${flag}: expected a duration like 30d, 12h, 1d12h or 90m, got '${text}'`);
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNITS[p[2]], 0);
}

const PROXY_URI = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/;

/** The key under the artifacts destination that a proxied URI names; undefined for s3://, file:… */
export function proxiedKey(uri: string): string | undefined {
  const m = PROXY_URI.exec(uri);
  if (!m) return undefined;
  const key = safeArtifactPath(decodeURIComponent((m[1] ?? '').replace(/^\/+/, '')), { allowEmpty: true });
  // Never the whole destination.
  return key === '' ? undefined : key;
}

export function registerGcCommand(program: Command): void {
  program
    .command('gc')
    .description('Permanently remove deleted runs and experiments, with their proxied artifacts (as `mlflow gc`)')
    .option('--backend-store-uri <uri>', 'database to collect (default as `trove server`)')
    .option('--artifacts-destination <dir>', 'where the server stores proxied artifacts (default as `trove server`)')
    .option('--older-than <duration>', 'only what was deleted at least this long ago (30d, 12h, 1d12h, 90m)')
    .option('--dry-run', 'print what would be removed, change nothing')
    .option('--traces-older-than <duration>', 'also remove traces started at least this long ago (30d, 12h)')
    .option('--traces-keep <n>', 'also remove all but the newest <n> traces of each experiment')
    .option('--vacuum', 'afterwards give the freed space back (SQLite: VACUUM the file; PostgreSQL: VACUUM)')
    .action(
      async (opts: {
        backendStoreUri?: string;
        artifactsDestination?: string;
        olderThan?: string;
        dryRun?: boolean;
        tracesOlderThan?: string;
        tracesKeep?: string;
        vacuum?: boolean;
      }) => {
        const olderThan = opts.olderThan ? parseDuration(opts.olderThan, '--older-than') : 0;
        const tracesBefore = opts.tracesOlderThan
          ? Date.now() - parseDuration(opts.tracesOlderThan, '--traces-older-than')
          : undefined;
        const tracesKeep = opts.tracesKeep === undefined ? undefined : Number(opts.tracesKeep);
        if (tracesKeep !== undefined && !(Number.isInteger(tracesKeep) && tracesKeep >= 0))
          throw new Error(`--traces-keep: expected a whole number, got '${opts.tracesKeep}'`);
        const config = parseServerConfig({
          backendStoreUri: opts.backendStoreUri,
          artifactsDestination: opts.artifactsDestination,
        });
        const store = await openStore(config.backendStoreUri, { migrate: false, poolSize: 2 });
        const artifacts = openArtifactStore(config.artifactsDestination);
        const dry = opts.dryRun === true;
        const verb = dry ? 'would remove' : 'removed';
        try {
          const plan = await planGarbage(store.db, Date.now() - olderThan);
          for (const s of plan.skipped) console.log(`kept experiment ${s.experiment_id} '${s.name}': ${s.reason}`);
          let artifactTrees = 0;
          const removeArtifacts = async (uri: string, what: string) => {
            const key = proxiedKey(uri);
            if (key === undefined) return;
            artifactTrees++;
            if (!dry) await removeTree(artifacts, key);
            console.log(`  ${verb} artifacts of ${what} at ${uri}`);
          };
          for (const run of plan.runs) {
            await removeArtifacts(run.artifact_uri, `run ${run.run_uuid}`);
            if (!dry) await purgeRuns(store.db, [run.id]);
            console.log(`${verb} run ${run.run_uuid} (experiment ${run.experiment_id})`);
          }
          for (const exp of plan.experiments) {
            for (const run of exp.runs) await removeArtifacts(run.artifact_uri, `run ${run.run_uuid}`);
            await removeArtifacts(exp.artifact_location, `experiment ${exp.experiment_id}`);
            if (!dry) await purgeExperiment(store.db, exp);
            console.log(
              `${verb} experiment ${exp.experiment_id} '${exp.name}' with ${exp.runs.length} run(s)${listRuns(exp.runs)}`,
            );
          }
          const runCount = plan.runs.length + plan.experiments.reduce((n, e) => n + e.runs.length, 0);
          console.log(
            `${dry ? 'Dry run: would remove' : 'Removed'} ${runCount} run(s), ${plan.experiments.length} experiment(s), ${artifactTrees} artifact tree(s).`,
          );
          if (tracesBefore !== undefined || tracesKeep !== undefined) {
            const traces = await collectTraces(
              store,
              artifacts,
              { before: tracesBefore, keepPerExperiment: tracesKeep },
              dry,
              proxiedKey,
            );
            console.log(`${dry ? 'Dry run: would remove' : 'Removed'} ${traces} trace(s).`);
          }
          if (opts.vacuum && !dry) await vacuum(store);
        } finally {
          await store.close();
        }
      },
    );
}

function listRuns(runs: GarbageRun[]): string {
  return runs.length > 0 ? `: ${runs.map((r) => r.run_uuid).join(', ')}` : '';
}

async function removeTree(artifacts: ArtifactStore, key: string): Promise<void> {
  await artifacts.delete(key);
}
