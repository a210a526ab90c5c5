// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDelimited } from '../../packages/ui/src/lib/csv.ts';
import { screenshot } from './support/browser.ts';
import { eventually, runNames, startSweepHarness, type UiHarness, unlabelledControls } from './support/harness.ts';
import { SWEEP_RUN_COUNT, type SweepSeeded } from './support/sweep-seed.ts';

// Issue 13, item 1 (and parts of 7): the runs table of a realistic sweep shows what matters
// without any setup, and every column can be hidden, moved and resized, in the URL.
let h: UiHarness<SweepSeeded>;

beforeAll(async () => {
  h = await startSweepHarness();
}, 240_000);
afterAll(() => h?.close());

const runsPath = () => `/experiments/${h.seeded.experimentId}`;
const headers = (page: Page) => page.locator('table[aria-label="Runs"] thead tr:nth-child(2) th').allInnerTexts();
const header = (page: Page, columnId: string) =>
  page.locator(`table[aria-label="Runs"] thead tr:nth-child(2) th[data-column-id="${columnId}"]`);
const urlParams = (page: Page) => new URL(page.url()).searchParams;

async function openColumns(page: Page) {
  await page.getByLabel(/^Columns \(/).click();
  return page.locator('.columns-panel');
}

describe('runs table of a sweep', { timeout: 120_000 }, () => {
  it('shows the metrics most runs logged and the params that vary, not system metrics, constants or seeds', async () => {
    const { page, errors } = await h.open(runsPath());
    await eventually(() => headers(page)).toContain('val/loss');
    const shown = (await headers(page)).map((t) => t.trim());
    for (const c of ['accuracy', 'loss', 'val/accuracy', 'val/loss', 'lr', 'weight_decay', 'dropout', 'optimizer'])
      expect(shown).toContain(c);
    for (const c of ['dataset', 'seed', 'system/cpu_utilization_percentage']) expect(shown).not.toContain(c);
    expect(shown.filter((t) => t.startsWith('system/'))).toEqual([]);
    // The User column reads the mlflow.user tag of runs created without user_id.
    const users = await page.locator('table[aria-label="Runs"] tbody tr[data-run-id] td:nth-child(7)').allInnerTexts();
    expect(shown[6]).toBe('User');
    expect(new Set(users.slice(0, 20))).toEqual(new Set(['alice', 'bob']));
    // System metrics have their own group in the chooser, unchecked.
    const panel = await openColumns(page);
    const system = panel.locator('fieldset', { has: page.locator('legend', { hasText: 'System metrics' }) });
    await expect.poll(() => system.locator('input[type="checkbox"]').first().isChecked()).toBe(false);
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel(/^Columns \(/).click();
    await screenshot(page, 'runs-table-defaults');
    expect(errors).toEqual([]);
  });

  it('pin and hide are labelled icons with tooltips', async () => {
    const { page } = await h.open(runsPath());
    const pin = page.getByRole('button', { name: /^Pin run / }).first();
    await pin.waitFor();
    expect(await pin.getAttribute('title')).toMatch(/^Pin .+ to the top$/);
    expect(await pin.locator('svg').count()).toBe(1);
    const hide = page.getByRole('button', { name: /^Hide run / }).first();
    expect(await hide.getAttribute('title')).toMatch(/^Hide .+ from the table and charts$/);
  });

  it('hides, moves and resizes run columns; the URL keeps it and a reload restores it', async () => {
    const { page, errors } = await h.open(runsPath());
    await eventually(() => headers(page)).toContain('Duration');
    const panel = await openColumns(page);
    await panel.getByLabel('Show the Duration column').uncheck();
    await eventually(() => headers(page)).not.toContain('Duration');
    await panel.getByRole('button', { name: 'Move User left' }).click();
    await panel.getByRole('button', { name: 'Move User left' }).click();
    await eventually(async () => (await headers(page)).map((t) => t.trim()).slice(3, 6)).toEqual([
      'User',
      'Status',
      'Started▼',
    ]);
    await panel.getByRole('button', { name: 'Move metrics.val/loss left' }).click();
    await page.getByLabel(/^Columns \(/).click();
    // A header dropped on another takes its place.
    await page.dragAndDrop('th[data-column-id="attributes.start_time"]', 'th[data-column-id="attributes.user_id"]', {
      sourcePosition: { x: 3, y: 3 },
      targetPosition: { x: 3, y: 3 },
    });
    await eventually(async () => (await headers(page)).map((t) => t.trim()).slice(3, 6)).toEqual([
      'Started▼',
      'User',
      'Status',
    ]);

    // Drag the Status header's right edge 60 px to the right.
    const status = header(page, 'attributes.status');
    const before = (await status.boundingBox())?.width ?? 0;
    const edge = await status.getByRole('separator').boundingBox();
    if (!edge) throw new Error('no resize handle');
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + edge.width / 2 + 30, edge.y + edge.height / 2);
    await page.mouse.move(edge.x + edge.width / 2 + 60, edge.y + edge.height / 2);
    await page.mouse.up();
    await eventually(async () => Math.round((await status.boundingBox())?.width ?? 0)).toBe(Math.round(before + 60));
    // The keyboard too: → widens a column by 10 px.
    const loss = header(page, 'metrics.loss').getByRole('separator');
    const lossWidth = Number(await loss.getAttribute('aria-valuenow'));
    await loss.focus();
    await page.keyboard.press('ArrowRight');
    await eventually(() => loss.getAttribute('aria-valuenow')).toBe(String(lossWidth + 10));

    const params = urlParams(page);
    expect(params.getAll('fixed')).toEqual([
      'run-tools',
      'attributes.start_time',
      'attributes.user_id',
      'attributes.status',
    ]);
    expect(params.getAll('width').sort()).toEqual(
      [`attributes.status:${Math.round(before + 60)}`, `metrics.loss:${lossWidth + 10}`].sort(),
    );
    const order = params.getAll('col');
    expect(order.indexOf('metrics.val/loss')).toBe(order.indexOf('metrics.val/accuracy') - 1);

    await page.reload();
    await eventually(() => headers(page)).toContain('Status');
    expect((await headers(page)).map((t) => t.trim())).not.toContain('Duration');
    expect(Math.round((await header(page, 'attributes.status').boundingBox())?.width ?? 0)).toBe(
      Math.round(before + 60),
    );
    expect(errors).toEqual([]);
  });

  it('downloads every matching run as CSV, all pages, with the columns shown', async () => {
    const { page } = await h.open(runsPath());
    await eventually(() => headers(page)).toContain('val/loss');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    const { rows } = parseDelimited(text, ',', 10_000);
    expect(rows).toHaveLength(SWEEP_RUN_COUNT + 1);
    expect(rows[0].slice(0, 3)).toEqual(['run_id', 'run_name', 'status']);
    expect(rows[0]).toContain('user');
    expect(rows[0]).toContain('metrics.val/loss');
    expect(rows[0]).toContain('params.lr');
    const names = new Set(rows.slice(1).map((r) => r[1]));
    expect(names.has('trial-00')).toBe(true);
    expect(names.has('trial-29/child-8')).toBe(true);
    expect(names.size).toBe(SWEEP_RUN_COUNT);
  });

  it('nests children under their parent when no loaded page holds the parent', async () => {
    // Only children match: every parent is fetched by id. trial-00's children are the newest.
    const filter = encodeURIComponent("attributes.run_name LIKE '%child%'");
    const { page, errors } = await h.open(`${runsPath()}?nest=1&filter=${filter}`);
    await eventually(async () => (await runNames(page))[0]).toMatch(/trial-00 \(9\)$/);
    const toggle = page.getByRole('button', { name: 'Show the 9 child runs of trial-00' });
    await toggle.click();
    await eventually(async () => (await runNames(page)).slice(1, 4).map((n) => n.trim())).toEqual([
      'trial-00/child-8',
      'trial-00/child-7',
      'trial-00/child-6',
    ]);
    expect(errors).toEqual([]);
  });

  it('at 1024 px wide still shows metric columns', async () => {
    const { page } = await h.open(runsPath());
    await page.setViewportSize({ width: 1024, height: 768 });
    await eventually(() => headers(page)).toContain('loss');
    const scroller = await page.locator('.grid-scroll').boundingBox();
    if (!scroller) throw new Error('no table');
    const visible: string[] = [];
    for (const th of await page.locator('table[aria-label="Runs"] thead tr:nth-child(2) th.num').all()) {
      const box = await th.boundingBox();
      if (box && box.x + box.width <= scroller.x + scroller.width) visible.push((await th.innerText()).trim());
    }
    expect(
      visible.filter((t) => ['accuracy', 'loss', 'val/accuracy', 'val/loss'].includes(t)).length,
    ).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'runs-table-1024');
  });
});
