import { defaultOfflineDir, optionsFromEnv, syncOfflineLog, TrackingClient } from '@trove/sdk';
import type { Command } from 'commander';

interface SyncOptions {
  trackingUri?: string;
  workspace?: string;
  json?: boolean;
  full?: boolean;
}

/**
 * `trove sync [DIR]`: replays an SDK offline log into a server (idempotently: a second sync
 * changes nothing). The server is `--tracking-uri` or `MLFLOW_TRACKING_URI`; the token
 * `TROVE_TOKEN`, else MLflow's variables.
 */
export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('Replay runs the SDK logged offline into a server (safe to run again)')
    .argument('[dir]', 'the offline log folder (default: TROVE_OFFLINE_DIR, else ./trove-offline)')
    .option('--tracking-uri <uri>', 'the server (default: MLFLOW_TRACKING_URI, else http://127.0.0.1:5000)')
    .option('--workspace <name>', 'the workspace, when the tracking URI does not name one')
    .option('--full', 'send every record again, not only what earlier syncs to this server did not deliver')
    .option('--json', 'print the report as JSON')
    .action(async (dir: string | undefined, opts: SyncOptions) => {
      const fromEnv = optionsFromEnv();
      const token = process.env.TROVE_TOKEN;
      const client = new TrackingClient({
        ...fromEnv,
        trackingUri: opts.trackingUri ?? fromEnv.trackingUri,
        workspace: opts.workspace,
        ...(token ? { auth: { token } } : {}),
      });
      const folder = dir ?? defaultOfflineDir();
      const report = await syncOfflineLog(client, folder, { full: opts.full });
      if (opts.json) {
        console.log(JSON.stringify(report));
        return;
      }
      console.log(
        `Synced ${report.runs} run(s) from ${folder}: ${report.created} created, ${report.records} records sent ` +
          `(${report.skipped} already delivered), ${report.metricPoints} metric points, ${report.artifacts} files.`,
      );
      for (const [local, server] of Object.entries(report.runIds)) console.log(`${local}\t${server}`);
    });
}
