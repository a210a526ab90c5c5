import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openArchiveSource } from './import/archive-source.ts';
import type { ImportSource } from './import/import-source.ts';
import { formatReport, runImport } from './import/importer.ts';
import { openMlflowDbSource } from './import/mlflow-db-source.ts';
import { authFromEnv, openMlflowRestSource } from './import/mlflow-rest-source.ts';
import { Progress } from './import/progress.ts';
import { openTroveTarget } from './import/trove-target.ts';

interface TargetFlags {
  backendStoreUri?: string;
  artifactsDestination?: string;
  workspace?: string;
  checkpoint?: string;
  json?: boolean;
  quiet?: boolean;
}

function targetOptions(cmd: Command): Command {
  return cmd
    .option('--backend-store-uri <uri>', 'the Trove database to import into (default as `trove server`)')
    .option('--artifacts-destination <dir>', "Trove's artifact destination (default as `trove server`)")
    .option('--workspace <name>', 'import into this workspace (it must exist)', 'default')
    .option('--checkpoint <file>', 'where progress is kept for resuming (default: .trove-import-<hash>.jsonl here)')
    .option('--json', 'print the final report as JSON on stdout')
    .option('--quiet', 'no progress on stderr');
}

async function importFrom(source: ImportSource, key: string, flags: TargetFlags): Promise<void> {
  const target = await openTroveTarget(flags);
  try {
    const hash = createHash('sha256')
      .update(`${key}\n${target.description}\n${target.workspace.name}`)
      .digest('hex')
      .slice(0, 12);
    const report = await runImport(source, target, {
      checkpoint: resolve(flags.checkpoint ?? `.trove-import-${hash}.jsonl`),
      progress: new Progress(flags.quiet ? null : process.stderr),
    });
    console.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
    if (!report.ok) process.exitCode = 2;
  } finally {
    await source.close();
    await target.close();
  }
}

/** `trove import mlflow …` and `trove import trove <archive>`. */
export function registerImportCommands(program: Command): void {
  const imp = program.command('import').description('Bring experiments, runs, artifacts and the registry into Trove');
  targetOptions(
    imp
      .command('mlflow')
      .description(
        'From a live MLflow server (--from URL) or an MLflow database (--from-db URI --artifacts DIR|s3://…)',
      )
      .option('--from <url>', 'an MLflow tracking server, e.g. http://mlflow:5000')
      .option('--from-db <uri>', 'an MLflow database: sqlite:///path/mlflow.db or postgresql://…')
      .option('--artifacts <dir>', "the MLflow server's artifact destination (for mlflow-artifacts:/ URIs)"),
  ).action(async (opts: TargetFlags & { from?: string; fromDb?: string; artifacts?: string }) => {
    if ((opts.from === undefined) === (opts.fromDb === undefined))
      throw new Error('name one source: --from <mlflow server URL> or --from-db <database URI>');
    const source = opts.from
      ? await openMlflowRestSource(opts.from, authFromEnv())
      : await openMlflowDbSource(opts.fromDb as string, opts.artifacts);
    await importFrom(source, opts.from ?? (opts.fromDb as string), opts);
  });
  targetOptions(
    imp
      .command('trove')
      .description('From an archive written by `trove export`')
      .argument('[archive]', 'archive.tar or archive.tar.gz')
      .option('--from-archive <file>', 'the archive (instead of the argument)'),
  ).action(async (archive: string | undefined, opts: TargetFlags & { fromArchive?: string }) => {
    const file = archive ?? opts.fromArchive;
    if (!file) throw new Error('name the archive: trove import trove archive.tar.gz');
    await importFrom(await openArchiveSource(file), resolve(file), opts);
  });
}
