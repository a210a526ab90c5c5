import { createApp, parseServerConfig } from '@trove/server';
import { openStore } from '@trove/store';
import type { Command } from 'commander';

/** Workspace commands work directly on the database, like `trove db upgrade`. */
export function registerWorkspaceCommands(program: Command): void {
  const ws = program.command('workspace').description('Manage workspaces');
  const withApp = async (
    uri: string | undefined,
    fn: (inject: (method: 'GET' | 'POST', url: string, body?: unknown) => Promise<unknown>) => Promise<void>,
  ) => {
    const config = parseServerConfig({ backendStoreUri: uri, auth: false });
    const store = await openStore(config.backendStoreUri);
    const app = await createApp({ config, store, logger: false });
    try {
      await fn(async (method, url, body) => {
        const res = await app.inject({ method, url, payload: body as object | undefined });
        const json = res.json() as { message?: string };
        if (res.statusCode !== 200) throw new Error(json.message ?? res.body);
        return json;
      });
    } finally {
      await app.close();
      await store.close();
    }
  };
  ws.command('create')
    .argument('<name>', 'workspace name: lowercase letters, digits, dashes')
    .option('--description <text>', 'what the workspace is for')
    .option('--backend-store-uri <uri>', 'database')
    .action(async (name: string, opts: { description?: string; backendStoreUri?: string }) => {
      await withApp(opts.backendStoreUri, async (inject) => {
        await inject('POST', '/api/trove/v1/workspaces', { name, description: opts.description });
        console.log(
          `Created workspace '${name}'. MLflow clients use it with MLFLOW_TRACKING_URI=http://HOST:PORT/w/${name}`,
        );
      });
    });
  ws.command('list')
    .option('--backend-store-uri <uri>', 'database')
    .action(async (opts: { backendStoreUri?: string }) => {
      await withApp(opts.backendStoreUri, async (inject) => {
        const { workspaces } = (await inject('GET', '/api/trove/v1/workspaces')) as {
          workspaces: { name: string; description?: string }[];
        };
        for (const w of workspaces) console.log(`${w.name}\t${w.description ?? ''}`);
      });
    });
}
