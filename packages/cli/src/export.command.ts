import type { AddressInfo } from 'node:net';
import { createApp, parseServerConfig } from '@trove/server';
import { openStore } from '@trove/store';
import type { Command } from 'commander';
import { writeArchive } from './import/archive-writer.ts';
import type { ImportSource } from './import/import-source.ts';
import { openMlflowDbSource } from './import/mlflow-db-source.ts';
import { authFromEnv, httpTransport, openMlflowRestSource, restSource } from './import/mlflow-rest-source.ts';

/**
 * `trove export --to archive.tar.gz`: a Trove database (read through Trove's own REST API on a
 * loopback port, so the archive holds exactly what clients see), or any source `trove import mlflow` reads.
 */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('Write experiments, runs, metrics, artifacts and the registry to a portable archive')
    .requiredOption('--to <file>', 'archive.tar or archive.tar.gz')
    .option('--backend-store-uri <uri>', 'the Trove database to export (default as `trove server`)')
    .option('--artifacts-destination <dir>', "Trove's artifact destination (default as `trove server`)")
    .option('--workspace <name>', 'the workspace to export', 'default')
    .option('--from <url>', 'export from a running server (MLflow or Trove) instead')
    .option('--from-db <uri>', 'export from an MLflow database instead (with --artifacts)')
    .option('--artifacts <dir>', "the MLflow server's artifact destination, with --from-db")
    .action(
      async (opts: {
        to: string;
        backendStoreUri?: string;
        artifactsDestination?: string;
        workspace: string;
        from?: string;
        fromDb?: string;
        artifacts?: string;
      }) => {
        let stop = async () => {};
        let source: ImportSource;
        if (opts.from) source = await openMlflowRestSource(opts.from, authFromEnv());
        else if (opts.fromDb) source = await openMlflowDbSource(opts.fromDb, opts.artifacts);
        else {
          const config = parseServerConfig({
            backendStoreUri: opts.backendStoreUri,
            artifactsDestination: opts.artifactsDestination,
            host: '127.0.0.1',
            port: 0,
            auth: false,
          });
          const store = await openStore(config.backendStoreUri, { migrate: false });
          const app = await createApp({ config, store, logger: false });
          await app.listen({ host: '127.0.0.1', port: 0 });
          const { port } = app.server.address() as AddressInfo;
          const prefix = opts.workspace === 'default' ? '' : `/w/${opts.workspace}`;
          source = await restSource(
            httpTransport(`http://127.0.0.1:${port}${prefix}`),
            `Trove ${config.backendStoreUri.replace(/\/\/[^@/]*@/, '//')}`,
          );
          stop = async () => {
            await app.close();
            await store.close();
          };
        }
        try {
          const counts = await writeArchive(source, opts.to);
          console.log(
            `wrote ${opts.to}: ${counts.experiments} experiments, ${counts.runs} runs, ${counts.metricPoints} metric points, ` +
              `${counts.artifacts} artifacts (${counts.artifactBytes} bytes), ${counts.models} models, ${counts.versions} versions`,
          );
        } finally {
          await source.close();
          await stop();
        }
      },
    );
}
