// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startOidcProvider, type TestOidcProvider, troveCallback } from '../support/oidc-provider.ts';
import { type AuthUi, signOut, startAuthUi } from './support/auth.ts';
import { eventually } from './support/harness.ts';

let provider: TestOidcProvider;
let ui: AuthUi;

beforeAll(async () => {
  // The provider must know Trove's callback before Trove starts: Trove's port is picked first.
  const port = await freePort();
  const troveUrl = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    redirectUris: [troveCallback(troveUrl)],
    accounts: [{ sub: 'sub-grace', preferred_username: 'grace', email: 'grace@example.com', groups: ['ml-team'] }],
  });
  ui = await startAuthUi({
    config: { port },
    env: { ...provider.troveEnv(troveUrl), TROVE_OIDC_NAME: 'Company SSO', TROVE_OIDC_ROLE_MAP: 'ml-team:editor' },
  });
}, 120_000);
afterAll(async () => {
  await ui?.close();
  await provider?.stop();
});

describe('single sign-on in the browser', { timeout: 90_000 }, () => {
  it('signs in with the OpenID provider and lands, signed in, where the user was going', async () => {
    const { page, errors } = await ui.open('/models?q=vision');
    await eventually(() => new URL(page.url()).pathname).toBe('/login');
    const sso = page.getByRole('link', { name: 'Sign in with Company SSO' });
    await eventually(() => sso.count()).toBe(1);
    expect(await sso.getAttribute('href')).toBe(
      `/api/trove/v1/auth/sso/login?next=${encodeURIComponent('/models?q=vision')}`,
    );
    await sso.click();

    // The provider's own sign-in page (oidc-provider's development form: any password).
    await eventually(() => new URL(page.url()).origin).toBe(provider.issuer);
    await page.locator('input[name="login"]').fill('sub-grace');
    await page.locator('input[name="password"]').fill('whatever');
    await page.locator('button[type="submit"]').click();

    await eventually(() => page.url()).toBe(`${ui.server.url}/models?q=vision`);
    await eventually(() => page.locator('.user-menu summary').innerText()).toBe('grace');
    await eventually(() => page.locator('h1').innerText()).toBe('Registered models');
    // The session is a real one: its CSRF token lets the UI write (the role map made grace an editor).
    const created = await page.evaluate(async () => {
      const me = await (await fetch('/api/trove/v1/auth/me')).json();
      const res = await fetch('/ajax-api/2.0/mlflow/registered-models/create', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token },
        body: JSON.stringify({ name: 'graces-model' }),
      });
      return { status: res.status, groups: me.user.groups };
    });
    expect(created).toEqual({ status: 200, groups: ['ml-team'] });

    await signOut(page);
    await eventually(() => page.getByRole('link', { name: 'Sign in with Company SSO' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
