// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN, as, basic, startAuthServer } from '../../support/auth-server.ts';
import type { TestServer } from '../../support/server.ts';
import { launchBrowser, newPage } from './browser.ts';
import { ensureUiBuilt } from './build.ts';
import { eventually } from './harness.ts';

export { ADMIN, basic };

export interface AuthUi {
  server: TestServer;
  browser: Browser;
  /** A request as the bootstrap admin (Basic auth); throws unless it answers 200. */
  asAdmin(method: string, path: string, body?: unknown): Promise<any>;
  /** Creates a user with a password (as the admin). */
  createUser(username: string, password: string, extra?: Record<string, unknown>): Promise<void>;
  /** A fresh browser context on `path`, signed out. */
  open(path?: string): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Built UI, a real server with authentication on (admin from the environment), and headless Chromium. */
export async function startAuthUi(options: Parameters<typeof startAuthServer>[0] = {}): Promise<AuthUi> {
  ensureUiBuilt();
  const server = await startAuthServer(options);
  const browser = await launchBrowser();
  const asAdmin = as(server, basic(ADMIN)).ok;
  return {
    server,
    browser,
    asAdmin,
    async createUser(username, password, extra = {}) {
      await asAdmin('POST', '/api/trove/v1/admin/users', { username, password, ...extra });
    },
    async open(path = '/') {
      const opened = await newPage(browser, server.url);
      await opened.page.goto(path);
      return opened;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Fills the login page (the page must be on it) and waits until the header names the user. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await eventually(() => page.locator('.user-menu summary').innerText()).toBe(username);
}

/** Opens the header's user menu and signs out; the login page follows. */
export async function signOut(page: Page): Promise<void> {
  await page.locator('.user-menu summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await eventually(() => new URL(page.url()).pathname).toBe('/login');
  expect(await page.locator('.user-menu').count()).toBe(0);
}
