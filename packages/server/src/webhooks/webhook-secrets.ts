import type { KeyObject } from 'node:crypto';
import { listPlainWebhookSecrets, replaceWebhookSecret, runInTransaction, type Store } from '@trove/store';
import { sealSecret } from './secret-box.ts';

interface Logger {
  warn(msg: string): void;
}

/**
 * Says once, at start, when webhook secrets sit in the database as given: without
 * `TROVE_SECRET_KEY` whenever any exist or authentication is on (a server worth protecting), with
 * the key when older rows still wait for `trove db encrypt-secrets`.
 */
export async function warnAboutPlainSecrets(
  store: Store,
  key: KeyObject | undefined,
  authEnabled: boolean,
  log: Logger,
): Promise<void> {
  const plain = (await listPlainWebhookSecrets(store.db)).length;
  if (key === undefined && (plain > 0 || authEnabled))
    log.warn(
      `TROVE_SECRET_KEY is not set: webhook secrets are stored unencrypted (${plain} now). ` +
        'Set it to 32 random bytes (`openssl rand -base64 32`) and run `trove db encrypt-secrets`.',
    );
  else if (key !== undefined && plain > 0)
    log.warn(`${plain} webhook secret(s) are stored unencrypted: run \`trove db encrypt-secrets\` to encrypt them.`);
}

/** Seals every webhook secret still stored as given; answers how many. Safe to run while servers run. */
export async function encryptWebhookSecrets(store: Store, key: KeyObject): Promise<number> {
  return runInTransaction(store, async (trx) => {
    const plain = await listPlainWebhookSecrets(trx);
    for (const { webhook_id, secret } of plain)
      await replaceWebhookSecret(trx, webhook_id, secret, sealSecret(key, webhook_id, secret));
    return plain.length;
  });
}
