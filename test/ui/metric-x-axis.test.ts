// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow } from '../support/server.ts';
import { canvasHasInk, screenshot } from './support/browser.ts';
import { eventually, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';

const STEPS = 300;
/** Epochs are logged in tenths: ten steps share each value, so the x axis repeats values. */
const epochAt = (step: number) => Math.floor(step / 10) / 10;

let h: UiHarness;
let experimentId: string;
let curveRunIds: string[];
beforeAll(async () => {
  h = await startUiHarness();
  // Three runs logging `loss` and `epoch` at the same steps, and one run without `epoch`.
  const api = mlflow(h.server);
  experimentId = await api.createExperiment('epoch-curves');
  const t0 = Date.UTC(2025, 1, 1);
  curveRunIds = [];
  for (const [i, name] of ['curve-a', 'curve-b', 'curve-c', 'no-epoch'].entries()) {
    const runId = await api.createRun(experimentId, { run_name: name, start_time: t0 + i * 1000 });
    const metrics = [];
    for (let step = 0; step < STEPS; step++) {
      const timestamp = t0 + step * 1000;
      metrics.push({ key: 'loss', value: (1 + i) * Math.exp(-step / 120) + 0.1, timestamp, step });
      if (name !== 'no-epoch') metrics.push({ key: 'epoch', value: epochAt(step), timestamp, step });
    }
    await api.ok('POST', '/runs/log-batch', { run_id: runId, metrics });
    curveRunIds.push(runId);
  }
}, 180_000);
afterAll(async () => h?.close());

/** The x value uPlot's legend shows with the cursor in the middle of the chart's plot area. */
async function xUnderCursor(page: Page, card: string): Promise<number> {
  const box = (await page.locator(`${card} .u-over`).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  return Number(await page.locator(`${card} .u-legend .u-series`).first().locator('.u-value').innerText());
}

describe('another metric on the x axis', { timeout: 120_000 }, () => {
  it('run charts tab: x = epoch pairs each loss point with the epoch at its step, kept in the URL', async () => {
    // Requests are watched from the first load: the epoch chart beside loss shares its read with the x axis.
    const { page, errors } = await h.open('about:blank');
    const requests: URL[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/trove/v1/metrics/chart')) requests.push(new URL(r.url()));
    });
    await page.goto(`/runs/${curveRunIds[0]}?tab=charts`);
    const card = '.chart-card[data-metric="loss"]';
    await eventually(() => page.locator(`${card} canvas`).count()).toBe(1);
    await page.getByLabel('X axis').selectOption({ label: 'epoch' });
    await eventually(() => new URL(page.url()).searchParams.get('x')).toBe('metric:epoch');
    await eventually(() => page.locator(`${card} [role="img"]`).getAttribute('aria-label')).toBe('loss by epoch');
    await eventually(() => canvasHasInk(page, `${card} canvas`)).toBe(true);
    // Every loss point has an epoch at its step: all of them are drawn.
    await eventually(() => page.locator(`${card} h3 .chart-summary`).innerText()).toBe(`${STEPS} points`);
    expect(await page.locator(`${card} .u-legend .u-series`).first().innerText()).toContain('epoch');
    const x = await xUnderCursor(page, card);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(epochAt(STEPS - 1));
    // The x metric is read over the same steps with the same points budget.
    const epochRead = requests.find((u) => u.searchParams.get('metric_key') === 'epoch')!;
    expect(epochRead.searchParams.get('points')).toBe('1000');
    expect(epochRead.searchParams.getAll('run_ids')).toEqual([curveRunIds[0]]);
    await screenshot(page, 'run-charts-metric-x');

    // A drag zooms the drawn points in place; it is no step range, so nothing goes to the URL.
    const box = (await page.locator(`${card} .u-over`).boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    expect(new URL(page.url()).searchParams.get('from')).toBeNull();

    // A shared link draws the same axis.
    await page.reload();
    await eventually(() => page.locator(`${card} [role="img"]`).getAttribute('aria-label')).toBe('loss by epoch');
    expect(await page.getByLabel('X axis').inputValue()).toBe('metric:epoch');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('experiment line chart: x = epoch for every run that logged it, the others left out with a note, kept in the layout', async () => {
    // From an emptied layout (the default one charts every metric).
    const empty = encodeURIComponent(JSON.stringify({ version: 1, charts: [], maxRuns: 100, collapsed: [] }));
    const { page, errors } = await h.open(`/experiments/${experimentId}?charts=${empty}`);
    await page.getByLabel('Chart type').selectOption('line');
    await page.getByRole('button', { name: 'Add chart' }).click();
    const card = 'section[data-chart="line"]';
    await eventually(() => page.locator(`${card} [role="img"]`).getAttribute('aria-label')).toBe('loss by step');
    // Metric, x axis and smoothing sit in the chart's settings menu.
    await page.getByLabel('Settings of chart loss').click();
    await page.locator(card).getByLabel('X axis').selectOption({ label: 'epoch' });
    await eventually(() => JSON.parse(new URL(page.url()).searchParams.get('charts') ?? '{}').charts).toEqual([
      { type: 'line', metric: 'loss', x: 'metric:epoch', smoothing: 0, logY: false, logX: false, clip: false },
    ]);
    await eventually(() => page.locator(`${card} [role="img"]`).getAttribute('aria-label')).toBe('loss by epoch');
    await eventually(() => canvasHasInk(page, `${card} canvas`)).toBe(true);
    await eventually(() => page.locator(`${card} h3 .chart-summary`).innerText()).toBe(`${3 * STEPS} points`);
    expect(await page.locator(`${card} [data-testid="x-metric-note"]`).innerText()).toBe(
      'Left out, no epoch logged: no-epoch.',
    );
    expect(await page.locator(`${card} .legend`).innerText()).not.toContain('no-epoch');
    expect(await page.locator(`${card} .u-legend .u-series`).first().innerText()).toContain('epoch');
    const x = await xUnderCursor(page, card);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(epochAt(STEPS - 1));
    await page.locator(card).scrollIntoViewIfNeeded();
    await screenshot(page, 'experiment-charts-metric-x');

    // Smoothing and log scale still draw on a metric axis.
    await page.locator(card).getByRole('button', { name: 'Log scale y' }).click();
    await page
      .locator(card)
      .getByLabel(/^Smoothing/)
      .fill('0.5');
    await eventually(() => JSON.parse(new URL(page.url()).searchParams.get('charts') ?? '{}').charts[0]).toMatchObject({
      x: 'metric:epoch',
      smoothing: 0.5,
      logY: true,
    });
    await eventually(() => canvasHasInk(page, `${card} canvas`)).toBe(true);

    await page.reload();
    await eventually(() => page.locator(`${card} [role="img"]`).getAttribute('aria-label')).toBe('loss by epoch');
    await page.getByLabel('Settings of chart loss').click();
    expect(await page.locator(card).getByLabel('X axis').inputValue()).toBe('metric:epoch');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
