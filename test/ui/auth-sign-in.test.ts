// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow } from '../support/server.ts';
import { type AuthUi, signIn, signOut, startAuthUi } from './support/auth.ts';
import { screenshot } from './support/browser.ts';
import { eventually, unlabelledControls } from './support/harness.ts';

let ui: AuthUi;
let hiddenExperiment: string;

beforeAll(async () => {
  ui = await startAuthUi();
  await ui.createUser('alice', 'alice-pass-1');
  await ui.createUser('vic', 'vic-pass-12');
  await ui.createUser('carol', 'carol-pass-1');
  await ui.asAdmin('PUT', '/api/trove/v1/members', { username: 'alice', role: 'editor' });
  await ui.asAdmin('PUT', '/api/trove/v1/members', { username: 'vic', role: 'viewer' });
  hiddenExperiment = (await ui.asAdmin('POST', '/api/2.0/mlflow/experiments/create', { name: 'secret-exp' }))
    .experiment_id;
  await ui.asAdmin('PUT', '/api/trove/v1/grants', {
    username: 'vic',
    experiment_id: hiddenExperiment,
    permission: 'NO_PERMISSIONS',
  });
}, 120_000);
afterAll(async () => {
  await ui?.close();
});

describe('signing in and out (authentication on)', { timeout: 90_000 }, () => {
  it('sends a signed-out visit to the login page, says when the password is wrong, and returns where it was', async () => {
    const { page, errors } = await ui.open('/experiments?deleted=1');
    await eventually(() => page.url()).toBe(
      `${ui.server.url}/login?next=${encodeURIComponent('/experiments?deleted=1')}`,
    );
    await eventually(() => page.locator('h1').innerText()).toBe('Sign in to Trove');
    // No free-text "Acting as" with authentication on, and nothing that needs a session in the frame.
    expect(await page.getByLabel('Acting as').count()).toBe(0);
    expect(await page.getByLabel('Workspace', { exact: true }).count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'login');

    await page.getByLabel('Username', { exact: true }).fill('alice');
    await page.getByLabel('Password', { exact: true }).fill('not-her-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await eventually(() => page.getByRole('alert').innerText()).toBe('Wrong username or password.');
    expect(new URL(page.url()).pathname).toBe('/login');

    await signIn(page, 'alice', 'alice-pass-1');
    await eventually(() => page.url()).toBe(`${ui.server.url}/experiments?deleted=1`);
    await eventually(() => page.locator('h1').innerText()).toBe('Experiments');
    expect(await page.getByLabel('Acting as').count()).toBe(0);
    // alice is no server admin: no Admin entry in the navigation.
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count()).toBe(0);
    // A reload keeps the session (the HttpOnly cookie), which scripts cannot read: they see only
    // the marker that a session cookie is set.
    await page.reload();
    await eventually(() => page.locator('.user-menu summary').innerText()).toBe('alice');
    expect(await page.evaluate(() => document.cookie)).toBe('trove_signed_in=1');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('signs out from the header menu: the session ends on the server too', async () => {
    const { page, errors } = await ui.open('/login');
    await signIn(page, 'alice', 'alice-pass-1');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'trove_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    await signOut(page);
    expect((await page.context().cookies()).map((c) => c.name)).toEqual([]);
    const me = await ui.server.call('GET', '/api/trove/v1/auth/me', undefined, {
      cookie: `trove_session=${cookie?.value}`,
    });
    expect(me.body).toEqual({ auth_enabled: true });
    await page.goto('/models');
    await eventually(() => new URL(page.url()).pathname).toBe('/login');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('starts the first runs search with the HTML, with the session’s CSRF token; a session without the marker cookie still gets its runs', async () => {
    const exp = (await ui.asAdmin('POST', '/api/2.0/mlflow/experiments/create', { name: 'early-search-exp' }))
      .experiment_id;
    await ui.asAdmin('POST', '/api/2.0/mlflow/runs/create', { experiment_id: exp, run_name: 'early-run' });
    const { page, errors } = await ui.open('/login');
    await signIn(page, 'alice', 'alice-pass-1');
    const searches: number[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.endsWith('/runs/search')) searches.push(r.status());
    });
    const rows = page.locator('table[aria-label="Runs"] tbody tr[data-run-id]');
    const earlyLeft = () =>
      page.evaluate(
        () => (window as unknown as { __troveEarly: { requests: unknown[] } }).__troveEarly.requests.length,
      );
    await page.goto(`/experiments/${exp}`);
    await eventually(() => rows.count()).toBe(1);
    // One search: index.html's, sent after auth/me with its token, adopted by the page.
    expect(searches).toEqual([200]);
    expect(await earlyLeft()).toBe(0);
    // A session cookie without the marker (set before it existed): the early search goes at once,
    // without the token, and is refused; the page asks again itself.
    await page.context().clearCookies({ name: 'trove_signed_in' });
    searches.length = 0;
    await page.goto(`/experiments/${exp}`);
    await eventually(() => rows.count()).toBe(1);
    expect(searches.sort()).toEqual([200, 403]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('says when sign-in is throttled after too many wrong passwords (429)', async () => {
    for (let i = 0; i < 10; i++)
      await ui.server.call('POST', '/api/trove/v1/auth/login', { username: 'carol', password: `wrong-${i}` });
    const { page } = await ui.open('/login');
    await page.getByLabel('Username', { exact: true }).fill('carol');
    await page.getByLabel('Password', { exact: true }).fill('carol-pass-1');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await eventually(() => page.getByRole('alert').innerText()).toMatch(/^Too many failed sign-in attempts/);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });

  it('refuses a cookie-authenticated write without the CSRF header; the UI’s own writes carry it', async () => {
    const { page, errors } = await ui.open('/login?next=/experiments');
    await signIn(page, 'alice', 'alice-pass-1');
    const create = (name: string, csrf?: string) =>
      page.evaluate(
        async ([n, token]) => {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (token) headers['x-csrf-token'] = token;
          const res = await fetch('/ajax-api/2.0/mlflow/experiments/create', {
            method: 'POST',
            headers,
            body: JSON.stringify({ name: n }),
          });
          return { status: res.status, body: await res.json() };
        },
        [name, csrf] as const,
      );
    const refused = await create('forged-from-page');
    expect(refused.status).toBe(403);
    expect(refused.body.error_code).toBe('PERMISSION_DENIED');
    expect((await create('forged-from-page', 'not-the-token')).status).toBe(403);
    const token = await page.evaluate(async () => (await (await fetch('/api/trove/v1/auth/me')).json()).csrf_token);
    expect((await create('with-the-token', token)).status).toBe(200);

    // The experiments page's own form works: the fetch layer sends the token.
    await page.getByLabel('New experiment name').fill('made-in-the-ui');
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await eventually(() => page.getByRole('link', { name: 'made-in-the-ui' }).count()).toBeGreaterThan(0);
    const made = await ui.asAdmin('GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=made-in-the-ui');
    expect(made.experiment.name).toBe('made-in-the-ui');
    expect(
      (await mlflow(ui.server).get('/experiments/get-by-name', { experiment_name: 'forged-from-page' })).status,
    ).toBe(401);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a viewer a clear access-denied page for admin pages and for an experiment they may not read', async () => {
    const { page, errors } = await ui.open('/login?next=/admin/users');
    await signIn(page, 'vic', 'vic-pass-12');
    await eventually(() => new URL(page.url()).pathname).toBe('/admin/users');
    const denied = page.getByRole('alert');
    await eventually(() => denied.innerText()).toMatch(/^Access denied\. These pages are for server admins only\./);
    expect(await denied.innerText()).toContain('You are signed in as vic.');
    expect(await denied.innerText()).toMatch(/ask a server admin or an admin of this workspace/);
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count()).toBe(0);
    // The API refuses the same thing (the page's check is a courtesy, not the protection).
    expect(await page.evaluate(async () => (await fetch('/api/trove/v1/admin/users')).status)).toBe(403);

    await page.goto(`/experiments/${hiddenExperiment}`);
    await eventually(() => page.getByRole('alert').first().innerText()).toMatch(/^Access denied\./);
    expect(await page.getByRole('alert').first().innerText()).toContain('You are signed in as vic.');
    // Nothing of the page beneath it: no filter box, no empty runs table claiming "no runs".
    expect(await page.getByRole('alert').count()).toBe(1);
    expect(await page.locator('.toolbar').count()).toBe(0);
    expect(await page.getByText('This experiment has no runs yet.').count()).toBe(0);
    await screenshot(page, 'access-denied');
    // The experiments list simply leaves it out.
    await page.goto('/experiments');
    await eventually(() => page.getByRole('link', { name: 'Default' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'secret-exp' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
