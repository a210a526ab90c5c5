import type { Store } from '@trove/store';
import { createRelyingParty } from './oidc-relying-party.ts';
import { createSsoAccounts } from './sso-accounts.ts';
import type { SsoConfig } from './sso-config.ts';
import { createLoginSealer } from './sso-login-state.ts';

interface Logger {
  warn(obj: object, msg: string): void;
}

/** Single sign-on, wired: the relying party, the sealed pending sign-in, and the accounts it yields. */
export function createSso(store: Store, config: SsoConfig, log: Logger) {
  return {
    config,
    relyingParty: createRelyingParty(config, log),
    sealer: createLoginSealer(config.clientSecret),
    accounts: createSsoAccounts(store, config, log),
  };
}

export type Sso = ReturnType<typeof createSso>;
