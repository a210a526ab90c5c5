import { parseServerConfig } from '@trove/server';
import { migrate, openStore, rebuildExperimentKeys, sqliteDdl } from '@trove/store';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('Database maintenance');
  db.command('upgrade')
    .description('Apply pending schema migrations (the server also applies them at start)')
    .option('--backend-store-uri <uri>', 'database to upgrade')
    .argument('[uri]', 'database to upgrade (positional, as `mlflow db upgrade URI`)')
    .action(async (uri: string | undefined, opts: { backendStoreUri?: string }) => {
      const config = parseServerConfig({ backendStoreUri: uri ?? opts.backendStoreUri });
      const store = await openStore(config.backendStoreUri, { migrate: false });
      const ran = await migrate(store.db as unknown as Kysely<unknown>, sqliteDdl);
      console.log(ran.length > 0 ? `Applied migrations: ${ran.join(', ')}` : 'Database is up to date.');
      await store.close();
    });
  db.command('rebuild-keys')
    .description(
      "Add to each experiment's key registry the keys its runs hold but it lacks (those written by previous-release replicas during a rolling upgrade); safe while servers run",
    )
    .option('--backend-store-uri <uri>', 'database to rebuild')
    .argument('[uri]', 'database to rebuild (positional)')
    .action(async (uri: string | undefined, opts: { backendStoreUri?: string }) => {
      const config = parseServerConfig({ backendStoreUri: uri ?? opts.backendStoreUri });
      const store = await openStore(config.backendStoreUri);
      try {
        console.log(`Added ${await rebuildExperimentKeys(store.db)} key(s) to the experiment key registry.`);
      } finally {
        await store.close();
      }
    });
}
