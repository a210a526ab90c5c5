// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { ensureUiBuilt } from './support/build.ts';
import { contrastOf, setTheme } from './support/contrast.ts';
import { eventually } from './support/harness.ts';

const WIDE = 2000;
const RUNS = 4;
const pKey = (i: number) => `p${String(i).padStart(4, '0')}`;

let server: TestServer;
let browser: Browser;
let experimentId: string;

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer();
  const api = mlflow(server);
  experimentId = await api.createExperiment('wide-sweep');
  for (let r = 0; r < RUNS; r++) {
    const runId = await api.createRun(experimentId, {
      run_name: `wide-${r}`,
      start_time: Date.UTC(2025, 0, 1) + r * 1000,
    });
    // The native API takes up to 1,000 params per request, nested objects as path keys.
    for (let from = 0; from <= WIDE; from += 1000) {
      const params: Record<string, unknown> = {};
      for (let i = from; i < Math.min(from + 1000, WIDE); i++) params[pKey(i)] = r * 10_000 + i;
      if (from === WIDE) params.optimizer = { name: r % 2 ? 'sgd' : 'adam', adam: { beta1: 0.9, beta2: 0.999 } };
      const res = await server.call('POST', `/api/trove/v1/runs/${runId}/log`, { params });
      if (res.status !== 200) throw new Error(`log → ${res.status} ${JSON.stringify(res.body)}`);
    }
    await api.ok('POST', '/runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'loss', value: 1 / (r + 1), timestamp: Date.now(), step: 0 }],
    });
  }
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const open = (path: string) => openPage(browser, server.url, path);

const headerTexts = (page: Page) => page.locator('table[aria-label="Runs"] thead tr:nth-child(2) th').allInnerTexts();
const bodyCells = (page: Page) => page.locator('table[aria-label="Runs"] tbody tr[data-run-id] td').count();

describe('runs table with thousands of columns', { timeout: 120_000 }, () => {
  it('renders only a window of columns and reveals later ones on horizontal scroll', async () => {
    const { page, errors } = await open(`/experiments/${experimentId}?col=*`);
    const table = page.locator('table[aria-label="Runs"]');
    await eventually(() => headerTexts(page)).toContain(pKey(0));
    // Every param is a column of the table…
    expect(Number(await table.getAttribute('aria-colcount'))).toBeGreaterThan(WIDE);
    // …but only the ones in view (plus a few either side) are in the DOM.
    const headers = await headerTexts(page);
    expect(headers.length).toBeLessThan(40);
    expect(headers).not.toContain(pKey(WIDE - 1));
    const cells = await bodyCells(page);
    expect(cells).toBeLessThan(RUNS * 40);
    expect(cells).toBeGreaterThan(RUNS * 5);
    await screenshot(page, 'runs-wide');

    // Scroll to the far right: the last param columns render, the first ones leave the DOM.
    await page.locator('.grid-scroll').evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await eventually(() => headerTexts(page)).toContain(pKey(WIDE - 1));
    expect(await headerTexts(page)).not.toContain(pKey(0));
    expect((await headerTexts(page)).length).toBeLessThan(40);
    expect(await bodyCells(page)).toBeLessThan(RUNS * 40);
    // The cells under it hold that run's value.
    const row = page.locator('tbody tr[data-run-id]', { hasText: 'wide-1' });
    await eventually(() => row.innerText()).toContain(String(10_000 + WIDE - 1));

    // Half way: a column from the middle shows up.
    await page.locator('.grid-scroll').evaluate((el) => {
      el.scrollLeft = el.scrollWidth / 2;
    });
    await eventually(async () => (await headerTexts(page)).some((t) => /^p(09|10)\d\d$/.test(t))).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('chooses columns from a tree of nested keys', async () => {
    const { page, errors } = await open(`/experiments/${experimentId}`);
    await eventually(() => headerTexts(page)).toContain('loss');
    await page.getByText(/^Columns \(/).click();
    await page.getByRole('button', { name: 'Hide all' }).click();
    await eventually(() => headerTexts(page)).not.toContain('loss');
    await page.getByRole('button', { name: 'Expand optimizer' }).click();
    await page.getByRole('button', { name: 'Expand optimizer/adam' }).click();
    await page.getByRole('checkbox', { name: 'beta1', exact: true }).check();
    await eventually(() => new URL(page.url()).searchParams.getAll('col')).toEqual(['params.optimizer/adam/beta1']);
    await eventually(() => headerTexts(page)).toContain('optimizer/adam/beta1');
    // A folder's checkbox is mixed while some keys under it are shown, and shows all of them.
    const adam = page.getByRole('checkbox', { name: /^adam\/ \(2\)$/ });
    expect(await adam.evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true);
    await adam.check();
    await eventually(() => new URL(page.url()).searchParams.getAll('col')).toEqual([
      'params.optimizer/adam/beta1',
      'params.optimizer/adam/beta2',
    ]);
    expect(await adam.evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(false);
    // Typing opens the matching folders.
    await page.getByLabel('Find a column').fill('beta2');
    await eventually(() => page.getByRole('checkbox', { name: 'beta2', exact: true }).isChecked()).toBe(true);
    await screenshot(page, 'column-chooser-tree');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('autocompletes the filter box and shows the server’s syntax error under it', async () => {
    const { page, errors } = await open(`/experiments/${experimentId}`);
    await eventually(() => headerTexts(page)).toContain('loss');
    const box = page.getByRole('combobox', { name: 'Filter runs (MLflow syntax; OR and parentheses allowed)' });
    await box.click();
    await page.keyboard.type('params.optimizer/n');
    const options = page.getByRole('listbox', { name: 'Filter suggestions' }).getByRole('option');
    await eventually(() => options.allInnerTexts()).toEqual(['params.optimizer/name']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await eventually(() => box.inputValue()).toBe('params.optimizer/name ');
    // After a key: the operators its type takes.
    await eventually(() => options.allInnerTexts()).toEqual(['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN']);
    await screenshot(page, 'filter-autocomplete');
    await page.keyboard.type("= 'sgd'");
    await page.keyboard.press('Enter');
    await eventually(() => new URL(page.url()).searchParams.get('filter')).toBe("params.optimizer/name = 'sgd'");
    await eventually(() => page.locator('tbody tr[data-run-id] td:nth-child(2)').allInnerTexts()).toEqual([
      'wide-3',
      'wide-1',
    ]);

    await box.fill('metrics.loss <');
    await box.press('Enter');
    const alert = page.getByRole('alert');
    await eventually(() => alert.innerText()).toContain('INVALID_PARAMETER_VALUE');
    expect(await alert.innerText()).toMatch(/position/);
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await box.getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
    await screenshot(page, 'filter-error');
    // Keys are still suggested while the failed filter leaves no runs; the error and the
    // suggestions read well in both themes.
    await box.fill('');
    await box.pressSequentially('params.');
    await page.getByRole('listbox', { name: 'Filter suggestions' }).waitFor();
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      const pairs = await contrastOf(page, '.filter-error, .filter-error code, .filter-suggestions [role="option"]');
      expect(pairs.length).toBeGreaterThan(3);
      for (const p of pairs) expect(p.ratio, `${theme}: ${p.what}`).toBeGreaterThanOrEqual(4.5);
    }
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
    await page.context().close();
  });
});
