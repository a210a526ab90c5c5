// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startServer, type TestServer } from '../../support/server.ts';

type ServerOptions = Parameters<typeof startServer>[0];

import { launchBrowser, newPage } from './browser.ts';
import { ensureUiBuilt } from './build.ts';
import { type Seeded, seedTrove } from './seed.ts';
import { type SweepSeeded, seedSweep } from './sweep-seed.ts';

export interface UiHarness<S = Seeded> {
  server: TestServer;
  seeded: S;
  browser: Browser;
  /** A fresh page (own context: storage, theme) on the server; `errors` collects uncaught page errors. */
  open(path?: string): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Built UI, a real server over a temp database with seeded data, and headless Chromium. */
export async function startUiHarness(options?: ServerOptions): Promise<UiHarness> {
  return startHarnessWith(seedTrove, options);
}

/** The same over issue 13's realistic sweep (`sweep-seed.ts`): 300 parent/child runs, a registry with reviews. */
export async function startSweepHarness(options?: ServerOptions): Promise<UiHarness<SweepSeeded>> {
  return startHarnessWith(seedSweep, options);
}

async function startHarnessWith<S>(
  seed: (server: TestServer) => Promise<S>,
  options?: ServerOptions,
): Promise<UiHarness<S>> {
  ensureUiBuilt();
  const server = await startServer(options);
  const seeded = await seed(server);
  const browser = await launchBrowser();
  return {
    server,
    seeded,
    browser,
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

/** Form controls with no accessible name (no label, aria-label or aria-labelledby). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => {
        const input = el as HTMLInputElement;
        if (input.type === 'hidden') return false;
        if (input.getAttribute('aria-label') || input.getAttribute('aria-labelledby')) return false;
        return !(input.labels && input.labels.length > 0 && (input.labels[0].textContent ?? '').trim() !== '');
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** Names of the runs in the table's rendered rows, top to bottom. */
export async function runNames(page: Page): Promise<string[]> {
  return page.locator('table[aria-label="Runs"] tbody tr[data-run-id] td:nth-child(2)').allInnerTexts();
}

/**
 * `expect.poll` with room for a loaded machine: CI runs these beside the rest of the suite on
 * two cores, where a page can take seconds instead of milliseconds to settle.
 */
export function eventually<T>(fn: () => T | Promise<T>) {
  return expect.poll(fn, { timeout: 15_000, interval: 100 });
}
