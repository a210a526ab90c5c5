import { createAuth, parseServerConfig } from '@trove/server';
import { findWorkspaceByName, openStore, type Store } from '@trove/store';
import type { Command } from 'commander';

async function readPassword(fromStdin: boolean): Promise<string> {
  const env = process.env.TROVE_USER_PASSWORD;
  if (!fromStdin && env) return env;
  if (!fromStdin) throw new Error('Give the password on stdin (--password-stdin) or in TROVE_USER_PASSWORD.');
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}

/** User and token commands work directly on the database, like `trove db upgrade`; no server needed. */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Manage users, service accounts and API tokens');
  const withAuth = async (
    uri: string | undefined,
    fn: (auth: ReturnType<typeof createAuth>, store: Store) => Promise<void>,
  ) => {
    const config = parseServerConfig({ backendStoreUri: uri, auth: true });
    const store = await openStore(config.backendStoreUri);
    try {
      await fn(createAuth(store, config.auth), store);
    } finally {
      await store.close();
    }
  };
  user
    .command('create')
    .argument('<username>')
    .option('--admin', 'a server admin')
    .option('--service', 'a service account for CI: signs in only with API tokens, has no password')
    .option('--password-stdin', 'read the password from stdin (else from TROVE_USER_PASSWORD)')
    .option('--backend-store-uri <uri>', 'database')
    .action(
      async (
        username: string,
        opts: { admin?: boolean; service?: boolean; passwordStdin?: boolean; backendStoreUri?: string },
      ) => {
        const password = opts.service ? undefined : await readPassword(opts.passwordStdin === true);
        await withAuth(opts.backendStoreUri, async ({ identity }) => {
          await identity.createUser(username, password, {
            isAdmin: opts.admin,
            kind: opts.service ? 'service' : 'user',
          });
        });
        console.log(`Created ${opts.service ? 'service account' : opts.admin ? 'admin' : 'user'} '${username}'.`);
      },
    );
  user
    .command('token')
    .description('Create an API token for a user or service account; it is printed once')
    .argument('<username>')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--workspace <name>', 'only valid in this workspace')
    .option('--role <role>', 'at most this role: viewer, editor, manager or admin')
    .option('--expires-in-days <n>', 'expiry')
    .option('--backend-store-uri <uri>', 'database')
    .action(
      async (
        username: string,
        opts: { name: string; workspace?: string; role?: string; expiresInDays?: string; backendStoreUri?: string },
      ) => {
        await withAuth(opts.backendStoreUri, async ({ identity }, store) => {
          const owner = await identity.getUser(username);
          const workspace = opts.workspace ? await findWorkspaceByName(store.db, opts.workspace) : undefined;
          if (opts.workspace && !workspace) throw new Error(`Workspace '${opts.workspace}' does not exist.`);
          const { token } = await identity.createToken(Number(owner.id), {
            name: opts.name,
            role: (opts.role as never) ?? null,
            expiresTime: opts.expiresInDays ? Date.now() + Number(opts.expiresInDays) * 86_400_000 : null,
            workspaceId: workspace ? Number(workspace.id) : null,
          });
          console.log(token);
        });
      },
    );
}
