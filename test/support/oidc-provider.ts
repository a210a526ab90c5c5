import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/** A person at the provider: `sub` is also what its dev sign-in form takes as "login". */
export interface OidcAccount {
  sub: string;
  preferred_username?: string;
  email?: string;
  name?: string;
  groups?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by subject; add or change them while the provider runs. */
  accounts: Map<string, OidcAccount>;
  /** The `TROVE_OIDC_*` environment of a Trove server whose public address is `troveUrl`. */
  troveEnv(troveUrl: string): Record<string, string>;
  stop(): Promise<void>;
}

/** Trove's callback on a server at `troveUrl`. */
export const troveCallback = (troveUrl: string) => `${troveUrl}/api/trove/v1/auth/sso/callback`;

/**
 * A real OpenID provider (`oidc-provider`) on 127.0.0.1, with one confidential client
 * (client_secret_basic, PKCE) that may redirect to `redirectUris`. Sign-in uses the package's
 * development pages: `/interaction/:uid` shows a form whose "login" is an account's `sub` (any
 * password); a POST of `prompt=login&login=<sub>&password=x` there does the same. Consent is
 * given automatically. Claims: `sub`, profile (`name`, `preferred_username`), `email`, `groups`,
 * served from the userinfo endpoint (the provider's default), not the ID token.
 */
export async function startOidcProvider(options: {
  redirectUris: string[];
  accounts?: OidcAccount[];
}): Promise<TestOidcProvider> {
  const clientId = 'trove';
  const clientSecret = randomBytes(24).toString('base64url');
  const accounts = new Map((options.accounts ?? []).map((a) => [a.sub, a]));
  let handle: RequestListener = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'], groups: ['groups'] },
    features: { devInteractions: { enabled: true } },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      return account && { accountId: sub, claims: () => ({ ...account, sub }) };
    },
    // Trove is a first-party client: no consent page.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session, result, provider: op } = ctx.oidc;
      const grantId = result?.consent?.grantId ?? session?.grantIdFor(client!.clientId);
      if (grantId) return op.Grant.find(grantId);
      const grant = new op.Grant({ clientId: client!.clientId, accountId: session!.accountId });
      grant.addOIDCScope('openid profile email groups');
      await grant.save();
      return grant;
    },
  });
  handle = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    troveEnv: (troveUrl) => ({
      TROVE_OIDC_ISSUER: issuer,
      TROVE_OIDC_CLIENT_ID: clientId,
      TROVE_OIDC_CLIENT_SECRET: clientSecret,
      TROVE_PUBLIC_URL: troveUrl,
    }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nobody listens on right now (for a server whose address must be known before it starts). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
