// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasHasInk, newPage, screenshot } from './support/browser.ts';
import { eventually, runNames, startSweepHarness, type UiHarness, unlabelledControls } from './support/harness.ts';
import { SWEEP_RUN_COUNT, type SweepSeeded } from './support/sweep-seed.ts';

let h: UiHarness<SweepSeeded>;
beforeAll(async () => {
  h = await startSweepHarness();
}, 240_000);
afterAll(async () => h?.close());

const sectionSummaries = (page: Page) => page.locator('.experiment-charts .chart-section > summary').allInnerTexts();
const layoutInUrl = (page: Page) => {
  const raw = new URL(page.url()).searchParams.get('charts');
  return raw ? JSON.parse(raw) : null;
};
/** The CSS colour a style attribute's background resolves to, as #rrggbb. */
const hex = (rgb: string) =>
  `#${(rgb.match(/\d+/g) ?? [])
    .slice(0, 3)
    .map((n) => Number(n).toString(16).padStart(2, '0'))
    .join('')}`;

describe('experiment charts by default', { timeout: 180_000 }, () => {
  it('opens with a chart per metric, grouped by prefix, system metrics folded apart, without a click', async () => {
    const { page, errors } = await h.open(`/experiments/${h.seeded.experimentId}`);
    await eventually(async () => (await runNames(page)).length).toBeGreaterThan(10);
    await eventually(() => sectionSummaries(page)).toEqual(['Metrics (3)', 'val/ (2)', 'System metrics (3)']);
    for (const metric of ['accuracy', 'loss', 'val/accuracy', 'val/loss'])
      await eventually(() => canvasHasInk(page, `.chart-card[data-metric="${metric}"] canvas`)).toBe(true);
    // Only the parents (on later pages of the table, not charted) log this one.
    await eventually(() => page.locator('.chart-card[data-metric="best_val_loss"]').innerText()).toContain(
      'No points in this range.',
    );
    // Nothing chosen yet: the URL carries no layout, and folded system charts fetch nothing.
    expect(layoutInUrl(page)).toBeNull();
    expect(await page.locator('.chart-card[data-metric^="system/"]').count()).toBe(0);
    await screenshot(page, 'experiment-default-charts');

    // Folding and unfolding sections is part of the layout, kept in the URL (and so in saved views).
    await page.locator('.chart-section[data-section="val"] > summary').click();
    await eventually(() => layoutInUrl(page)?.collapsed).toEqual(['system', 'val']);
    expect(await page.locator('.chart-card[data-metric="val/loss"]').count()).toBe(0);
    await page.locator('.chart-section[data-section="system"] > summary').click();
    await eventually(() => layoutInUrl(page)?.collapsed).toEqual(['val']);
    await eventually(() =>
      canvasHasInk(page, '.chart-card[data-metric="system/gpu_0_utilization_percentage"] canvas'),
    ).toBe(true);
    await page.reload();
    await eventually(() =>
      canvasHasInk(page, '.chart-card[data-metric="system/cpu_utilization_percentage"] canvas'),
    ).toBe(true);
    expect(await page.locator('.chart-card[data-metric="val/loss"]').count()).toBe(0);

    // A layout the user emptied stays empty (the defaults do not come back).
    const one = { version: 1, charts: [{ type: 'line', metric: 'loss' }], maxRuns: 100, collapsed: [] };
    await page.goto(`/experiments/${h.seeded.experimentId}?charts=${encodeURIComponent(JSON.stringify(one))}`);
    await page.getByRole('button', { name: 'Remove chart loss' }).click();
    await eventually(() => layoutInUrl(page)?.charts).toEqual([]);
    await page.reload();
    await eventually(() => page.locator('.experiment-charts').innerText()).toContain('No charts yet');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps the charts as drawn while later pages of runs arrive under a scrolling table', async () => {
    const { page, errors } = await h.open(`/experiments/${h.seeded.experimentId}`);
    for (const metric of ['accuracy', 'loss', 'val/accuracy', 'val/loss'])
      await eventually(() => canvasHasInk(page, `.chart-card[data-metric="${metric}"] canvas`)).toBe(true);
    const table = page.locator('table[aria-label="Runs"]');
    expect(await table.getAttribute('aria-rowcount')).toBe('101');
    // uPlot clears a chart's canvas before each redraw: count those on the charts panel from here on.
    await page.evaluate(() => {
      const w = window as unknown as { chartClears: number };
      w.chartClears = 0;
      const clear = CanvasRenderingContext2D.prototype.clearRect;
      CanvasRenderingContext2D.prototype.clearRect = function (x, y, width, height) {
        if (this.canvas.closest('.experiment-charts')) w.chartClears++;
        return clear.call(this, x, y, width, height);
      };
    });
    await eventually(async () => {
      await page.locator('.grid-scroll').evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      return Number(await table.getAttribute('aria-rowcount'));
    }).toBeGreaterThan(SWEEP_RUN_COUNT / 2);
    // The later page (500 runs) brought the rest. Two frames after it rendered: any redraw it caused has happened.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(await page.evaluate(() => (window as unknown as { chartClears: number }).chartClears)).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps the runs table in place while the charts above it load and draw', async () => {
    const { page, errors } = await newPage(h.browser, h.server.url);
    // Every frame from the one the charts panel has its slots: how far below the panel's top the
    // table starts (what else above may still move, e.g. the description arriving, is not this test's).
    await page.addInitScript(() => {
      const w = window as unknown as { __tableTops: number[] };
      w.__tableTops = [];
      const tick = () => {
        const table = document.querySelector('.grid-scroll');
        const charts = document.querySelector('.experiment-charts');
        if (table && charts?.querySelector('.chart-slot'))
          w.__tableTops.push(Math.round(table.getBoundingClientRect().top - charts.getBoundingClientRect().top));
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.goto(`/experiments/${h.seeded.experimentId}`);
    for (const metric of ['accuracy', 'loss', 'val/accuracy', 'val/loss'])
      await eventually(() => canvasHasInk(page, `.chart-card[data-metric="${metric}"] canvas`)).toBe(true);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const tops = await page.evaluate(() => (window as unknown as { __tableTops: number[] }).__tableTops);
    expect(tops.length).toBeGreaterThan(2);
    // A chart's place is as tall loading as drawn, so nothing below the charts moves.
    expect([...new Set(tops)]).toEqual([tops[0]]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('draws each run in its own colour, from its id: the same in the table, every chart and the compare page', async () => {
    const { page, errors } = await h.open(`/experiments/${h.seeded.experimentId}`);
    const legend = '.chart-card[data-metric="loss"] .chart-legend';
    // The legend lists only runs drawn there: children (parents log no loss). Folded when long, and
    // a folded legend renders no entries until it is opened.
    await eventually(() => page.locator(`${legend} summary`).innerText()).toMatch(
      /Legend \((2\d|[3-9]\d|\d{3,}) runs\)/,
    );
    expect(await page.locator(legend).getAttribute('open')).toBeNull();
    expect(await page.locator(`${legend} li`).count()).toBe(0);
    await page.locator(`${legend} summary`).click();
    await eventually(() => page.locator(`${legend} li`).count()).toBeGreaterThan(20);
    const entries = await page
      .locator(`${legend} li`)
      .evaluateAll((els) =>
        els.map((el) => [
          el.getAttribute('data-run-id') ?? '',
          getComputedStyle(el.querySelector('.swatch')!).backgroundColor,
        ]),
      );
    const names = await page.locator(`${legend} li`).allTextContents();
    expect(names.every((n) => /\/child-\d$/.test(n))).toBe(true);
    // Many runs, many distinguishable colours.
    expect(new Set(entries.map(([, c]) => c)).size).toBeGreaterThanOrEqual(18);
    // The table's swatch of a run is its chart colour.
    const [runId, color] = entries[3];
    const name = names[3];
    expect(await page.getByLabel(`Colour of run ${name}`).inputValue()).toBe(hex(color));
    // Another filter and sort put the run elsewhere: its colour stays.
    const trial = encodeURIComponent(`${name.split('/')[0]}/`);
    await page.goto(`/experiments/${h.seeded.experimentId}?name=${trial}&sort=attributes.start_time:asc`);
    await eventually(() => page.locator(`${legend} summary`).count()).toBe(1);
    if ((await page.locator(legend).getAttribute('open')) === null) await page.locator(`${legend} summary`).click();
    await eventually(() => page.locator(`${legend} li[data-run-id="${runId}"]`).count()).toBe(1);
    const after = await page
      .locator(`${legend} li[data-run-id="${runId}"] .swatch`)
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(after).toBe(color);
    // The compare page draws it in the same colour.
    const other = entries[4][0];
    await page.goto(`/compare?runs=${runId}&runs=${other}&exp=${h.seeded.experimentId}&metric=loss`);
    const compareSwatch = page.locator(
      `.chart-card[data-metric="loss"] .chart-legend li[data-run-id="${runId}"] .swatch`,
    );
    await eventually(() => compareSwatch.count()).toBe(1);
    expect(await compareSwatch.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(color);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
