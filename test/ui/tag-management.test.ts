// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_COLUMNS } from '../../packages/ui/src/features/runs/column-layout.ts';
import { mlflow, startServer, type TestServer } from '../support/server.ts';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { ensureUiBuilt } from './support/build.ts';
import { eventually, unlabelledControls } from './support/harness.ts';

let server: TestServer;
let browser: Browser;
let experimentId: string;
/** `crew-0`…`crew-5`, newest last; tagged `squad=red|blue` and `team=vision`. */
let runIds: string[];

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer();
  const api = mlflow(server);
  experimentId = await api.createExperiment('tagging-demo');
  await api.ok('POST', '/experiments/set-experiment-tag', {
    experiment_id: experimentId,
    key: 'team',
    value: 'vision',
  });
  await api.createExperiment('other-project');
  runIds = [];
  for (let i = 0; i < 6; i++) {
    const runId = await api.createRun(experimentId, { run_name: `crew-${i}`, start_time: Date.UTC(2025, 0, 6, 9, i) });
    await api.ok('POST', '/runs/log-batch', {
      run_id: runId,
      tags: [
        { key: 'squad', value: i % 2 ? 'blue' : 'red' },
        { key: 'team', value: 'vision' },
      ],
    });
    runIds.push(runId);
  }
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const open = (path: string) => openPage(browser, server.url, path);

const experimentRow = (page: Page, name: string) =>
  page.locator('table[aria-label="Experiments"] tbody tr', { hasText: name }).first();
const runRow = (page: Page, name: string) =>
  page.locator('table[aria-label="Runs"] tbody tr[data-run-id]', { hasText: name });
/** The "All tags" column is off by default; these tests read its chips. */
const WITH_TAG_CHIPS = FIXED_COLUMNS.map((c) => `fixed=${c}`).join('&');
const chipsOf = (page: Page, name: string) => runRow(page, name).locator('.chip').allInnerTexts();
const tagKeyRow = (page: Page, key: string) =>
  page.locator(`table[aria-label="Tag keys"] tbody tr[data-tag-key="${key}"]`);

describe('experiments list management', { timeout: 90_000 }, () => {
  it('creates, renames, tags, deletes and restores an experiment', async () => {
    const { page, errors } = await open('/experiments');
    await eventually(() => page.locator('table[aria-label="Experiments"] tbody tr').count()).toBe(3);

    await page.getByLabel('New experiment name').fill('ui-made');
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await eventually(() => experimentRow(page, 'ui-made').count()).toBe(1);

    await page.getByRole('button', { name: 'Rename ui-made' }).click();
    await page.getByLabel('New name for ui-made').fill('ui-renamed');
    await page.getByLabel('New name for ui-made').press('Enter');
    await eventually(() => experimentRow(page, 'ui-renamed').count()).toBe(1);
    expect(await page.locator('table[aria-label="Experiments"] tbody tr', { hasText: 'ui-made' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Edit tags of ui-renamed' }).click();
    const editor = page.getByRole('region', { name: 'Tags of ui-renamed' });
    await editor.getByLabel('Tag key').fill('owner');
    await editor.getByLabel('Tag value').fill('ana');
    await editor.getByRole('button', { name: 'Set tag' }).click();
    await eventually(() => experimentRow(page, 'ui-renamed').locator('.chip').allInnerTexts()).toEqual(['owner=ana']);
    await screenshot(page, 'experiments-manage');
    expect(await unlabelledControls(page)).toEqual([]);
    await editor.getByRole('button', { name: 'Remove tag owner' }).click();
    await eventually(() => experimentRow(page, 'ui-renamed').locator('.chip').count()).toBe(0);

    await page.getByRole('button', { name: 'Delete ui-renamed' }).click();
    await page
      .getByRole('dialog', { name: 'Delete experiment “ui-renamed”?' })
      .getByRole('button', { name: 'Delete experiment' })
      .click();
    await eventually(() => experimentRow(page, 'ui-renamed').count()).toBe(0);
    await page.getByLabel('Show deleted experiments').check();
    await eventually(() => new URL(page.url()).searchParams.get('deleted')).toBe('1');
    await eventually(() => experimentRow(page, 'ui-renamed').innerText()).toContain('(deleted)');
    await page.getByRole('button', { name: 'Restore ui-renamed' }).click();
    await eventually(() => experimentRow(page, 'ui-renamed').innerText()).not.toContain('(deleted)');
    await page.getByLabel('Show deleted experiments').uncheck();
    await eventually(() => experimentRow(page, 'ui-renamed').count()).toBe(1);

    // The server's message shows for a clash.
    await page.getByLabel('New experiment name').fill('tagging-demo');
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await eventually(() => page.getByRole('alert').innerText()).toContain('RESOURCE_ALREADY_EXISTS');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('filters by tag, with the filter in the URL', async () => {
    const { page } = await open('/experiments');
    await page.getByLabel('Filter by tag (key or key=value)').fill('team=vision');
    await eventually(() => page.locator('table[aria-label="Experiments"] tbody tr').allInnerTexts()).toEqual([
      expect.stringContaining('tagging-demo'),
    ]);
    expect(new URL(page.url()).searchParams.get('tag')).toBe('team=vision');
    await page.context().close();
  });
});

describe('tag management', { timeout: 90_000 }, () => {
  it('renames a key from the tags page and the runs table shows it in the key colour', async () => {
    const { page, errors } = await open(`/experiments/${experimentId}?${WITH_TAG_CHIPS}`);
    await eventually(() => chipsOf(page, 'crew-0')).toEqual(['squad=red', 'team=vision']);
    await page.getByRole('link', { name: 'Manage tags' }).click();
    await eventually(() => new URL(page.url()).pathname).toBe('/tags');
    expect(new URL(page.url()).searchParams.get('exp')).toBe(experimentId);
    await eventually(() => tagKeyRow(page, 'squad').innerText()).toMatch(/squad\s+6\s+2/);

    await page.getByRole('button', { name: 'Rename squad' }).click();
    await page.getByLabel('New name for squad').fill('crew');
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(() => tagKeyRow(page, 'crew').count()).toBe(1);
    expect(await tagKeyRow(page, 'squad').count()).toBe(0);

    await page.getByLabel('Colour of crew').selectOption({ label: 'Red' });
    await eventually(() =>
      tagKeyRow(page, 'crew')
        .locator('.chip')
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe('rgb(220, 38, 38)');
    await screenshot(page, 'tags');
    expect(await unlabelledControls(page)).toEqual([]);

    await page.goBack();
    await eventually(() => chipsOf(page, 'crew-0')).toEqual(['crew=red', 'team=vision']);
    const chip = runRow(page, 'crew-0').locator('.chip[data-tag-key="crew"]');
    expect(await chip.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color])).toEqual([
      'rgb(220, 38, 38)',
      'rgb(255, 255, 255)',
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('bulk-tags selected runs in the runs table, sets a key on them from the tags page, then deletes the key', async () => {
    const { page } = await open(`/experiments/${experimentId}?${WITH_TAG_CHIPS}`);
    await eventually(() => runRow(page, 'crew-1').count()).toBe(1);
    await page.getByRole('checkbox', { name: 'Select run crew-1' }).check();
    await page.getByRole('checkbox', { name: 'Select run crew-2' }).check();
    const bulk = page.getByLabel('Bulk actions');
    await bulk.getByLabel('Tag key').fill('batch');
    await bulk.getByLabel('Tag value').fill('b1');
    await bulk.getByRole('button', { name: 'Tag selected' }).click();
    await eventually(() => chipsOf(page, 'crew-1')).toContain('batch=b1');
    expect(await chipsOf(page, 'crew-2')).toContain('batch=b1');
    expect(await chipsOf(page, 'crew-3')).not.toContain('batch=b1');

    await bulk.getByRole('link', { name: 'Manage tags of 2 selected' }).click();
    await eventually(() => tagKeyRow(page, 'batch').innerText()).toMatch(/batch\s+2\s+1/);
    await page.getByRole('button', { name: 'Set batch on selected runs' }).click();
    await page.getByLabel('Value of batch for the selected runs').fill('b2');
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await eventually(() => tagKeyRow(page, 'batch').innerText()).toMatch(/batch\s+2\s+1/);

    await page.getByRole('button', { name: 'Delete batch' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await eventually(() => tagKeyRow(page, 'batch').count()).toBe(0);
    await page.goBack();
    await eventually(() => chipsOf(page, 'crew-1')).not.toContain('batch=b1');
    expect(await chipsOf(page, 'crew-1')).not.toContain('batch=b2');
    await page.context().close();
  });

  it('deletes and restores selected runs in bulk', async () => {
    const { page } = await open(`/experiments/${experimentId}`);
    await eventually(() => runRow(page, 'crew-4').count()).toBe(1);
    await page.getByRole('checkbox', { name: 'Select run crew-4' }).check();
    await page.getByRole('checkbox', { name: 'Select run crew-5' }).check();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await page.getByRole('dialog', { name: 'Delete 2 runs?' }).getByRole('button', { name: 'Delete 2 runs' }).click();
    await eventually(() => runRow(page, 'crew-4').count()).toBe(0);
    expect(await runRow(page, 'crew-5').count()).toBe(0);

    await page.getByLabel('Show deleted runs').check();
    await eventually(() => new URL(page.url()).searchParams.get('deleted')).toBe('1');
    await eventually(() => runRow(page, 'crew-4').count()).toBe(1);
    expect(await runRow(page, 'crew-0').count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Select run crew-4' }).check();
    await page.getByRole('button', { name: 'Restore selected' }).click();
    await eventually(() => runRow(page, 'crew-4').count()).toBe(0);
    await page.getByLabel('Show deleted runs').uncheck();
    await eventually(() => runRow(page, 'crew-4').count()).toBe(1);
    expect(await runRow(page, 'crew-5').count()).toBe(0);
    await page.context().close();
  });

  it('lists workspace keys from the navigation, system tags on request, and is keyboard operable', async () => {
    const { page } = await open('/experiments');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tags' }).click();
    await eventually(() => tagKeyRow(page, 'team').innerText()).toMatch(/team\s+\d+\s+1/);
    expect(await page.getByRole('button', { name: 'Rename team' }).isDisabled()).toBe(true);
    await page.getByLabel('Show MLflow system tags (mlflow.*)').check();
    await eventually(() => tagKeyRow(page, 'mlflow.runName').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('system')).toBe('1');

    await page.getByLabel('Scope').selectOption({ label: 'tagging-demo' });
    await eventually(() => new URL(page.url()).searchParams.get('exp')).toBe(experimentId);
    await eventually(() => page.getByRole('button', { name: 'Rename team' }).isEnabled()).toBe(true);
    // Tab reaches the rename button; Enter opens the form with focus-reachable input.
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'Rename team'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    }
    expect(focused).toBe('Rename team');
    await page.keyboard.press('Enter');
    await eventually(() => page.getByLabel('New name for team').isVisible()).toBe(true);
    await page.context().close();
  });
});
