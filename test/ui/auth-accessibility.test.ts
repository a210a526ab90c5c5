import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrastFailures, unnamedControls } from './support/a11y.ts';
import { ADMIN, type AuthUi, signIn, startAuthUi } from './support/auth.ts';
import { newPage } from './support/browser.ts';
import { eventually } from './support/harness.ts';

let ui: AuthUi;

beforeAll(async () => {
  ui = await startAuthUi();
  await ui.createUser('viewer-vi', 'viewer-pass-1');
  await ui.asAdmin('POST', '/api/trove/v1/admin/groups', { name: 'vision' });
  await ui.asAdmin('POST', '/api/trove/v1/admin/groups/vision/members', { username: 'viewer-vi' });
  await ui.asAdmin('PUT', '/api/trove/v1/members', { group: 'vision', role: 'viewer' });
  await ui.asAdmin('POST', '/api/trove/v1/auth/tokens', { name: 'ci', role: 'viewer', expires_in_days: 7 });
}, 120_000);
afterAll(async () => {
  await ui?.close();
});

/** The sign-in, profile and administration pages, each once it shows its content. */
const PAGES: { path: string; ready: (page: Page) => Promise<unknown> }[] = [
  {
    path: '/profile',
    ready: (p) => eventually(() => p.locator('table[aria-label="API tokens"] tbody tr').count()).toBe(1),
  },
  {
    path: '/admin/users',
    ready: (p) => eventually(() => p.locator('table[aria-label="Users"] tbody tr').count()).toBe(2),
  },
  {
    path: '/admin/groups',
    ready: (p) => eventually(() => p.locator('table[aria-label="Groups"] tbody tr').count()).toBe(1),
  },
  {
    path: '/admin/access',
    ready: (p) => eventually(() => p.locator('table[aria-label="Workspace members"] tbody tr').count()).toBe(1),
  },
  {
    path: '/admin/audit',
    ready: (p) => eventually(() => p.locator('table[aria-label="Audit log"] tbody tr').count()).toBeGreaterThan(3),
  },
];

async function check(page: Page): Promise<void> {
  await page.waitForTimeout(200);
  expect(await unnamedControls(page)).toEqual([]);
  expect(await contrastFailures(page)).toEqual([]);
}

for (const theme of ['light', 'dark'] as const) {
  describe(`identity pages, ${theme} theme`, { timeout: 120_000 }, () => {
    it('login, profile, administration and access denied: named controls, text contrast ≥ 4.5:1', async () => {
      const { page, errors } = await newPage(ui.browser, ui.server.url);
      await page.addInitScript(`localStorage.setItem('trove.theme', ${JSON.stringify(theme)});`);
      await page.goto('/login');
      await eventually(() => page.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(1);
      await page.getByLabel('Username', { exact: true }).fill('nobody');
      await page.getByLabel('Password', { exact: true }).fill('wrong-password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await eventually(() => page.getByRole('alert').count()).toBe(1);
      await check(page);
      await signIn(page, ADMIN.username, ADMIN.password);
      for (const p of PAGES) {
        await page.goto(p.path);
        await p.ready(page);
        await check(page);
      }
      await page.locator('.user-menu summary').click();
      await check(page);

      const viewer = await newPage(ui.browser, ui.server.url);
      await viewer.page.addInitScript(`localStorage.setItem('trove.theme', ${JSON.stringify(theme)});`);
      await viewer.page.goto('/login?next=/admin/users');
      await signIn(viewer.page, 'viewer-vi', 'viewer-pass-1');
      await eventually(() => viewer.page.getByRole('alert').count()).toBe(1);
      await check(viewer.page);
      expect([...errors, ...viewer.errors]).toEqual([]);
      await page.context().close();
      await viewer.page.context().close();
    });
  });
}
