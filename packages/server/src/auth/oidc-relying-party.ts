import { TroveError } from '@trove/protocol';
import * as oidc from 'openid-client';
import { safeEqual } from './secrets.ts';
import type { SsoConfig } from './sso-config.ts';
import { type PendingLogin, SSO_STATE_TTL_MS } from './sso-login-state.ts';

/** The claims of a verified sign-in: the ID token's, completed by the userinfo endpoint's. */
export type SsoClaims = Record<string, unknown> & { sub: string };

interface Logger {
  warn(obj: object, msg: string): void;
}

const PROVIDER_TIMEOUT_S = 10;

/** The provider could not be asked (down, unreachable, answering 5xx): not the user's fault, not Trove's bug. */
function isUnreachable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
  if (e instanceof TypeError && e.message === 'fetch failed') return true;
  if (e instanceof oidc.ResponseBodyError) return e.status >= 500;
  return e instanceof oidc.ClientError && e.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM';
}

/**
 * The OpenID Connect relying party (openid-client): the authorization code flow with PKCE, state
 * and nonce. The provider's metadata is discovered on first use, not at startup, so a provider
 * that is down does not keep Trove from starting; a failed discovery is retried next time.
 */
export function createRelyingParty(sso: SsoConfig, log: Logger) {
  let discovered: Promise<oidc.Configuration> | undefined;
  const unavailable = () =>
    new TroveError(
      'TEMPORARILY_UNAVAILABLE',
      `The sign-in provider (${sso.issuer.href}) cannot be reached; try again in a moment, or sign in with a password.`,
    );

  function configuration(): Promise<oidc.Configuration> {
    discovered ??= oidc
      .discovery(sso.issuer, sso.clientId, undefined, oidc.ClientSecretBasic(sso.clientSecret), {
        // sso-config.ts allows plain http only for a provider on loopback.
        execute: sso.issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: PROVIDER_TIMEOUT_S,
      })
      .catch((e) => {
        discovered = undefined;
        log.warn({ err: e, issuer: sso.issuer.href }, 'OpenID Connect discovery failed');
        throw unavailable();
      });
    return discovered;
  }

  /** Where to send the browser to sign in, and what its return must match. */
  async function begin(next: string): Promise<{ url: URL; pending: PendingLogin }> {
    const config = await configuration();
    const pending: PendingLogin = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      next,
      expires: Date.now() + SSO_STATE_TTL_MS,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: sso.redirectUrl.href,
      scope: sso.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, pending };
  }

  /** Verifies the provider's answer (`query`: the callback's query string) and answers the user's claims. */
  async function finish(query: URLSearchParams, pending: PendingLogin): Promise<SsoClaims> {
    const state = query.get('state');
    if (state === null || !safeEqual(state, pending.state))
      throw new TroveError('BAD_REQUEST', 'This sign-in does not match the one started in this browser: start again.');
    const config = await configuration();
    const current = new URL(sso.redirectUrl);
    current.search = query.toString();
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new TroveError('UNAUTHENTICATED', 'The sign-in provider sent no ID token.');
      const userinfo =
        config.serverMetadata().userinfo_endpoint && tokens.access_token
          ? await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)
          : {};
      return { ...userinfo, ...idClaims } as SsoClaims;
    } catch (e) {
      if (e instanceof TroveError) throw e;
      if (isUnreachable(e)) {
        log.warn({ err: e, issuer: sso.issuer.href }, 'OpenID Connect provider unreachable');
        throw unavailable();
      }
      if (e instanceof oidc.AuthorizationResponseError)
        throw new TroveError('UNAUTHENTICATED', `The sign-in provider refused: ${e.error_description ?? e.error}.`);
      if (e instanceof oidc.ResponseBodyError)
        throw new TroveError(
          'UNAUTHENTICATED',
          `The sign-in provider did not accept this sign-in (${e.error_description ?? e.error}): start again.`,
        );
      log.warn({ err: e, issuer: sso.issuer.href }, 'OpenID Connect sign-in failed verification');
      throw new TroveError(
        'UNAUTHENTICATED',
        `The sign-in provider's answer failed verification (${(e as Error).message}): start again.`,
      );
    }
  }

  return { begin, finish };
}

export type RelyingParty = ReturnType<typeof createRelyingParty>;
