// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';
import { launchBrowser, newPage, openPage } from './support/browser.ts';
import { ensureUiBuilt } from './support/build.ts';
import { eventually, runNames } from './support/harness.ts';

// More runs than the table's first page (100, newest first); only the oldest run has `rare`.
const RUNS = 120;
const T0 = Date.UTC(2025, 0, 1);

let server: TestServer;
let browser: Browser;
let experimentId: string;

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer();
  const api = mlflow(server);
  experimentId = await api.createExperiment('late-keys');
  const log = async (i: number) => {
    const runId = await api.createRun(experimentId, {
      run_name: `run-${String(i).padStart(3, '0')}`,
      start_time: T0 + i * 1000,
    });
    const params = [{ key: 'lr', value: String(i) }, ...(i === 0 ? [{ key: 'rare', value: 'yes' }] : [])];
    await api.ok('POST', '/runs/log-batch', {
      run_id: runId,
      params,
      metrics: [{ key: 'loss', value: 1 / (i + 1), timestamp: T0, step: 0 }],
    });
  };
  for (let i = 0; i < RUNS; i += 8)
    await Promise.all(Array.from({ length: Math.min(8, RUNS - i) }, (_, j) => log(i + j)));
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const open = (path: string) => openPage(browser, server.url, path);

describe('keys of runs not loaded yet', { timeout: 120_000 }, () => {
  it('the column chooser and the filter autocomplete offer a key only the oldest run has, without scrolling to it', async () => {
    const { page, errors } = await open(`/experiments/${experimentId}`);
    await eventually(() =>
      page
        .getByRole('status')
        .filter({ hasText: / runs$/ })
        .innerText(),
    ).toBe('100+ runs');
    expect(await runNames(page)).not.toContain('run-000');

    await page.getByText(/^Columns \(/).click();
    const rare = page.getByRole('checkbox', { name: 'rare', exact: true });
    await eventually(() => rare.count()).toBe(1);
    await rare.check();
    await eventually(() => new URL(page.url()).searchParams.getAll('col')).toContain('params.rare');
    await page.getByText(/^Columns \(/).click();

    const box = page.getByRole('combobox', { name: 'Filter runs (MLflow syntax; OR and parentheses allowed)' });
    await box.click();
    await page.keyboard.type('params.ra');
    const options = page.getByRole('listbox', { name: 'Filter suggestions' }).getByRole('option');
    await eventually(() => options.allInnerTexts()).toEqual(['params.rare']);
    // Still the first page: nothing was scrolled or loaded to find the key.
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: / runs$/ })
        .innerText(),
    ).toBe('100+ runs');

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await eventually(() => box.inputValue()).toBe('params.rare ');
    await eventually(() => options.allInnerTexts()).toContain('LIKE');
    await page.keyboard.type("= 'yes'");
    await page.keyboard.press('Enter');
    await eventually(() => runNames(page)).toEqual(['run-000']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('offers the loaded runs’ keys when the key listing fails', async () => {
    const { page, errors } = await newPage(browser, server.url);
    await page.route('**/experiments/*/keys', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: '{"error_code":"TEMPORARILY_UNAVAILABLE","message":"down"}',
      }),
    );
    await page.goto(`/experiments/${experimentId}`);
    await eventually(() =>
      page
        .getByRole('status')
        .filter({ hasText: / runs$/ })
        .innerText(),
    ).toBe('100+ runs');
    await page.getByText(/^Columns \(/).click();
    await eventually(() => page.getByRole('checkbox', { name: 'lr', exact: true }).count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'rare', exact: true }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
