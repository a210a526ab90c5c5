// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthUi, basic, signIn, startAuthUi } from './support/auth.ts';
import { screenshot } from './support/browser.ts';
import { eventually, unlabelledControls } from './support/harness.ts';

let ui: AuthUi;

beforeAll(async () => {
  ui = await startAuthUi();
  await ui.createUser('dana', 'dana-pass-12');
  await ui.asAdmin('POST', '/api/trove/v1/admin/groups', { name: 'ml-team' });
  await ui.asAdmin('POST', '/api/trove/v1/admin/groups/ml-team/members', { username: 'dana' });
  await ui.asAdmin('PUT', '/api/trove/v1/members', { group: 'ml-team', role: 'editor' });
}, 120_000);
afterAll(async () => {
  await ui?.close();
});

const searchWith = (token: string) =>
  fetch(`${ui.server.url}/api/2.0/mlflow/experiments/search?max_results=5`, {
    headers: { authorization: `Bearer ${token}` },
  });

describe('profile and API tokens', { timeout: 90_000 }, () => {
  it('creates a token shown once, which works as a Bearer token until it is revoked', async () => {
    const { page, errors } = await ui.open('/login?next=/profile');
    await signIn(page, 'dana', 'dana-pass-12');
    await eventually(() => page.locator('h1').innerText()).toBe('dana');
    expect(await page.locator('.chip').allInnerTexts()).toEqual(['ml-team']);
    await eventually(() => page.getByText('No API tokens yet.').count()).toBe(1);

    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Token name').fill('ci-upload');
    await form.getByLabel('Workspace').selectOption('default');
    await form.getByLabel('Role').selectOption('editor');
    await form.getByLabel('Expires').selectOption('30');
    await form.getByRole('button', { name: 'Create token' }).click();
    const notice = page.getByRole('region', { name: 'New API token' });
    await eventually(() => notice.innerText()).toMatch(/shown only this once/);
    const token = await notice.locator('.token-value').innerText();
    expect(token).toMatch(/^trove_[\w-]{20,}$/);
    await notice.getByRole('button', { name: 'Copy' }).click();
    await eventually(() => notice.getByRole('status').count()).toBe(1);

    const row = page.locator('table[aria-label="API tokens"] tbody tr');
    await eventually(() => row.count()).toBe(1);
    const cells = await row.first().locator('td').allInnerTexts();
    expect(cells.slice(0, 4)).toEqual(['ci-upload', `${token.slice(0, 12)}…`, 'default', 'editor']);
    expect(cells[6]).toBe('never');
    expect(cells[7]).toBe('active');
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'profile-tokens');

    // The secret is in that one answer only: after a reload, only its prefix.
    await page.reload();
    await eventually(() => row.count()).toBe(1);
    expect(await page.content()).not.toContain(token);

    // Used from outside the browser as a Bearer token; the list then shows when.
    const used = await searchWith(token);
    expect(used.status).toBe(200);
    expect((await used.json()).experiments.map((e: { name: string }) => e.name)).toEqual(['Default']);
    await page.reload();
    await eventually(() => row.first().locator('td').nth(6).innerText()).not.toBe('never');

    page.once('dialog', (d) => void d.accept());
    await row.first().getByRole('button', { name: 'Revoke token ci-upload' }).click();
    await eventually(() => row.first().locator('td').nth(7).innerText()).toMatch(/^revoked /);
    expect(await row.first().getByRole('button').count()).toBe(0);
    const refused = await searchWith(token);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error_code).toBe('UNAUTHENTICATED');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('does not revoke when the confirmation is dismissed', async () => {
    const created = await ui.server.call(
      'POST',
      '/api/trove/v1/auth/tokens',
      { name: 'kept' },
      basic({ username: 'dana', password: 'dana-pass-12' }),
    );
    expect(created.status).toBe(200);
    const { page, errors } = await ui.open('/login?next=/profile');
    await signIn(page, 'dana', 'dana-pass-12');
    const kept = page.locator('table[aria-label="API tokens"] tbody tr', { hasText: 'kept' });
    await eventually(() => kept.count()).toBe(1);
    page.once('dialog', (d) => void d.dismiss());
    await kept.getByRole('button', { name: 'Revoke token kept' }).click();
    await page.waitForTimeout(300);
    expect(await kept.locator('td').nth(7).innerText()).toBe('active');
    expect((await searchWith(created.body.token)).status).toBe(200);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
