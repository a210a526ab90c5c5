// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trove } from '../support/server.ts';
import { screenshot } from './support/browser.ts';
import { eventually, runNames, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';
import { SWEEP_RUNS } from './support/seed.ts';

let h: UiHarness;
beforeAll(async () => {
  h = await startUiHarness();
}, 120_000);
afterAll(async () => h?.close());

const SGD = "params.`optimizer/name` = 'sgd'";

async function actAs(page: Page, user: string) {
  const field = page.getByLabel('Acting as');
  await field.fill(user);
  await field.press('Enter');
  await eventually(() => page.evaluate(() => localStorage.getItem('trove.user'))).toBe(user);
}

/** Group header rows as `label · n runs`, top to bottom. */
async function groups(page: Page): Promise<string[]> {
  const texts = await page.locator('table[aria-label="Runs"] tbody tr.group-row td:first-child').allInnerTexts();
  return texts.map((t) => t.replace(/^[▾▸]\s*/, '').trim());
}

const runCount = (page: Page) => page.getByRole('status').filter({ hasText: 'runs' }).innerText();

async function openViews(page: Page) {
  const menu = page.locator('details.views-menu');
  if (!(await menu.evaluate((el) => (el as HTMLDetailsElement).open))) await menu.locator('summary').click();
}

/** The seed's loss of sweep run i (see seed.ts). */
const sweepLoss = (i: number) => 0.2 + ((i * 37) % 100) / 100;

describe('saved views', { timeout: 120_000 }, () => {
  it('saves filter + sort + grouping, reapplies it on a clean page and by link, and deletes it', async () => {
    const { page, errors } = await h.open(`/experiments/${h.seeded.experimentId}`);
    // Tall enough that all 40 filtered runs and both group rows render (the table is virtualized).
    await page.setViewportSize({ width: 1400, height: 2000 });
    await actAs(page, 'dana');
    await eventually(() => runCount(page)).toMatch(/^(100\+|122) runs$/);

    const filter = page.getByLabel('Filter runs (MLflow syntax; OR and parentheses allowed)');
    await filter.fill(SGD);
    await filter.press('Enter');
    await eventually(() => runCount(page)).toBe('40 runs');
    await page.getByRole('button', { name: 'Sort by metrics.loss' }).click();
    await eventually(() => new URL(page.url()).searchParams.get('sort')).toBe('metrics.loss:desc');
    await page.getByLabel('Group by').selectOption('tags.team');
    await eventually(() => groups(page)).toHaveLength(2);

    // sgd runs are every third sweep run; every fifth is team "research".
    const research = Array.from({ length: SWEEP_RUNS }, (_, i) => i).filter((i) => i % 3 === 0 && i % 5 === 0);
    const grouped = await groups(page);
    expect([...grouped].sort()).toEqual([
      `team = research · ${research.length} runs`,
      `team = vision · ${40 - research.length} runs`,
    ]);
    const researchRow = page.locator('tr.group-row[data-group="research"] td[data-stat="metrics.loss"]');
    const title = (await researchRow.getAttribute('title')) ?? '';
    const mean = research.reduce((s, i) => s + sweepLoss(i), 0) / research.length;
    expect(Number(/mean ([\d.e-]+)/.exec(title)?.[1])).toBeCloseTo(mean, 9);
    expect(Number(/min ([\d.e-]+)/.exec(title)?.[1])).toBeCloseTo(Math.min(...research.map(sweepLoss)), 9);
    expect(Number(/max ([\d.e-]+)/.exec(title)?.[1])).toBeCloseTo(Math.max(...research.map(sweepLoss)), 9);
    const rowsBefore = await runNames(page);
    expect(rowsBefore).toHaveLength(40);

    await openViews(page);
    await page.getByLabel('Save the current view as').fill('sgd by team');
    await page.locator('details.views-menu').getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.locator('details.views-menu summary').innerText()).toBe('View: sgd by team');
    const viewId = new URL(page.url()).searchParams.get('view');
    expect(viewId).toMatch(/^\d+$/);
    await screenshot(page, 'saved-views');

    // A clean page: no filter, no grouping.
    await page.goto(`/experiments/${h.seeded.experimentId}`);
    await eventually(() => runCount(page)).toMatch(/^(100\+|122) runs$/);
    expect(await groups(page)).toEqual([]);
    await openViews(page);
    await page.getByRole('button', { name: 'Apply view sgd by team' }).click();
    await eventually(() => runCount(page)).toBe('40 runs');
    await eventually(() => groups(page)).toEqual(grouped);
    await eventually(() => runNames(page)).toEqual(rowsBefore);
    const url = new URL(page.url());
    expect([
      url.searchParams.get('filter'),
      url.searchParams.get('sort'),
      url.searchParams.get('group'),
      url.searchParams.get('view'),
    ]).toEqual([SGD, 'metrics.loss:desc', 'tags.team', viewId]);

    // The view's link is shareable: another browser context opens the same rows and groups.
    // Applying closed the menu.
    expect(await page.locator('details.views-menu').evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    await openViews(page);
    const href = (await page.getByRole('link', { name: 'Link to view sgd by team' }).getAttribute('href')) ?? '';
    const other = await h.open(href);
    await other.page.setViewportSize({ width: 1400, height: 2000 });
    await eventually(() => groups(other.page)).toEqual(grouped);
    await eventually(() => runNames(other.page)).toEqual(rowsBefore);
    await other.page.context().close();

    // Rename, then delete (two steps).
    await openViews(page);
    await page.getByRole('button', { name: 'Rename view sgd by team' }).click();
    await page.getByLabel('New name for view sgd by team').fill('sgd runs by team');
    await page.locator('details.views-menu').getByRole('button', { name: 'OK' }).click();
    await eventually(() => page.getByRole('button', { name: 'Apply view sgd runs by team' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Delete view sgd runs by team' }).click();
    await page.getByRole('button', { name: 'Confirm deleting view sgd runs by team' }).click();
    await eventually(() => page.getByText('No saved views yet.').count()).toBe(1);
    expect((await trove(h.server).ok('GET', `/experiments/${h.seeded.experimentId}/views`)).views).toEqual([]);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('pins, hides, colours (in the charts too) and nests runs, keeps it in the URL, and stores it with Update', async () => {
    const { page, errors } = await h.open(`/experiments/${h.seeded.experimentId}`);
    await actAs(page, 'erin');
    await eventually(() => runNames(page)).toContain('sweep-110');
    const [first, second] = await runNames(page);
    expect([first, second]).toEqual(['finetune-child', 'baseline-resnet']);

    await openViews(page);
    await page.getByLabel('Save the current view as').fill('pins');
    await page.locator('details.views-menu').getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.locator('details.views-menu summary').innerText()).toBe('View: pins');
    await page.locator('details.views-menu summary').click();

    // Pinned runs stay on top.
    await page.getByRole('button', { name: 'Pin run sweep-110' }).click();
    await eventually(async () => (await runNames(page))[0]).toBe('sweep-110');
    expect(await page.getByRole('button', { name: 'Pin run sweep-110' }).getAttribute('aria-pressed')).toBe('true');
    await eventually(() => page.locator('details.views-menu summary').innerText()).toBe('View: pins (modified)');
    // A second pin adds to the first (rows are memoized: their buttons must act on the current pins).
    await page.getByRole('button', { name: 'Pin run finetune-child' }).click();
    await eventually(() => new URL(page.url()).searchParams.getAll('pin').length).toBe(2);
    expect(await page.getByRole('button', { name: 'Pin run sweep-110' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Pin run finetune-child' }).click();
    await eventually(() => new URL(page.url()).searchParams.getAll('pin').length).toBe(1);
    expect(await page.getByRole('button', { name: 'Pin run sweep-110' }).getAttribute('aria-pressed')).toBe('true');

    // Hidden runs leave the table until "show hidden" is ticked.
    await page.getByRole('button', { name: 'Hide run baseline-resnet' }).click();
    await eventually(() => runNames(page)).not.toContain('baseline-resnet');
    await page.getByLabel('Show hidden runs (1)').check();
    await eventually(() => runNames(page)).toContain('baseline-resnet');
    expect(await page.locator('tr.run-hidden').count()).toBe(1);
    await page.getByLabel('Show hidden runs (1)').uncheck();

    // A run colour is a swatch whose choice lives in the URL.
    const baselineId = h.seeded.baselineRunId;
    await page.getByLabel('Colour of run sweep-110').fill('#ff0000');
    const sweep110 = h.seeded.sweepRunIds[110];
    await eventually(() => new URL(page.url()).searchParams.getAll('color')).toEqual([`${sweep110}:#ff0000`]);

    // The state survives a reload (it is all in the URL).
    await page.reload();
    await eventually(async () => (await runNames(page))[0]).toBe('sweep-110');
    expect(await runNames(page)).not.toContain('baseline-resnet');
    expect(await page.getByLabel('Colour of run sweep-110').inputValue()).toBe('#ff0000');

    // Charts (shown by default) draw the run in its chosen colour.
    await page.getByLabel('Chart type').selectOption('scatter');
    await page.getByRole('button', { name: 'Add chart' }).click();
    await eventually(() => page.locator('section[data-chart="scatter"] circle.dot[fill="#ff0000"]').count()).toBe(1);
    await page.locator('summary', { hasText: /^Charts/ }).click();

    // Update stores pins, hidden runs and colours in the view.
    await openViews(page);
    await page.getByRole('button', { name: 'Update view pins with the current state' }).click();
    await eventually(() => page.locator('details.views-menu summary').innerText()).toBe('View: pins');
    const stored = (await trove(h.server).ok('GET', `/views/${new URL(page.url()).searchParams.get('view')}`)).view
      .state;
    expect(stored).toMatchObject({ pinned: [sweep110], hidden: [baselineId], colors: { [sweep110]: '#ff0000' } });
    // The default layout (a line chart per metric) with the added scatter.
    expect(stored.charts.charts.filter((c: { type: string }) => c.type !== 'line')).toEqual([
      expect.objectContaining({ type: 'scatter' }),
    ]);

    // Nested child runs: the child sits under its parent, which expands.
    await page.getByLabel('Show hidden runs (1)').check();
    await page.getByLabel('Nest child runs').check();
    await eventually(() => runNames(page)).not.toContain('finetune-child');
    await page.getByRole('button', { name: 'Show the 1 child runs of baseline-resnet' }).click();
    await eventually(async () => {
      const names = await runNames(page);
      return names[names.findIndex((n) => n.includes('baseline-resnet')) + 1];
    }).toBe('finetune-child');

    // No polling: the table follows the experiment's live-event stream (test/replicas/live-events.test.ts).
    await eventually(() => page.getByText('Live: changes appear as they are logged').count()).toBe(1);
    await screenshot(page, 'runs-pinned-nested');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
