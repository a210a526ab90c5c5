import { encryptWebhookSecrets, parseServerConfig } from '@trove/server';
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
  db.command('encrypt-secrets')
    .description(
      'Encrypt the webhook secrets stored unencrypted, with TROVE_SECRET_KEY (servers need the same key from then on); safe while servers run',
    )
    .option('--backend-store-uri <uri>', 'database whose secrets to encrypt')
    .argument('[uri]', 'database whose secrets to encrypt (positional)')
    .action(async (uri: string | undefined, opts: { backendStoreUri?: string }) => {
      const config = parseServerConfig({ backendStoreUri: uri ?? opts.backendStoreUri });
      const key = config.webhooks.secretKey;
      if (key === undefined) {
        console.error('TROVE_SECRET_KEY is not set: give the key the servers use (32 bytes, hex or base64).');
        process.exitCode = 1;
        return;
      }
      const store = await openStore(config.backendStoreUri);
      try {
        console.log(`Encrypted ${await encryptWebhookSecrets(store, key)} webhook secret(s).`);
      } finally {
        await store.close();
      }
    });
}
