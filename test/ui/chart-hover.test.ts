// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasHasInk } from './support/browser.ts';
import { eventually, startSweepHarness, type UiHarness, unlabelledControls } from './support/harness.ts';
import type { SweepSeeded } from './support/sweep-seed.ts';

let h: UiHarness<SweepSeeded>;
beforeAll(async () => {
  h = await startSweepHarness();
}, 240_000);
afterAll(async () => h?.close());

/** Moves the pointer to a fraction of the chart's plot area. */
async function hoverAt(page: Page, card: string, fx: number, fy: number): Promise<void> {
  const box = (await page.locator(`${card} .u-over`).boundingBox())!;
  await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
}

const tipRows = (page: Page, card: string) =>
  page.locator(`${card} .chart-tip .chart-tip-row`).evaluateAll((rows) =>
    rows
      .filter((r) => (r as HTMLElement).style.display !== 'none')
      .map((r) => ({
        name: r.querySelector('.chart-tip-name')?.textContent ?? '',
        value: Number(r.querySelector('.chart-tip-value')?.textContent),
        nearest: (r as HTMLElement).dataset.nearest === 'true',
      })),
  );

const layoutChart = (page: Page, metric: string) =>
  JSON.parse(new URL(page.url()).searchParams.get('charts') ?? '{"charts":[]}').charts.find(
    (c: { metric?: string }) => c.metric === metric,
  );

describe('line chart hover', { timeout: 120_000 }, () => {
  it('lists the runs at the pointer sorted by value and highlights the nearest run in every chart and the table', async () => {
    const { page, errors } = await h.open(`/experiments/${h.seeded.experimentId}`);
    const loss = '.chart-card[data-metric="loss"]';
    await eventually(() => canvasHasInk(page, `${loss} canvas`)).toBe(true);
    await hoverAt(page, loss, 0.5, 0.7);
    await eventually(async () => (await tipRows(page, loss)).length).toBe(10);
    const rows = await tipRows(page, loss);
    expect(rows.map((r) => r.value)).toEqual([...rows.map((r) => r.value)].sort((a, b) => b - a));
    expect(rows.filter((r) => r.nearest)).toHaveLength(1);
    expect(await page.locator(`${loss} .chart-tip-head`).innerText()).toMatch(/^step \d+$/);
    expect(await page.locator(`${loss} .chart-tip-more`).innerText()).toMatch(/^and \d+ more$/);
    const nearest = rows.find((r) => r.nearest)!.name;
    // Its row in the table lights up, and its line is the one drawn in full in every chart.
    const row = page.locator('table[aria-label="Runs"] tbody tr.run-highlighted');
    await eventually(() => row.count()).toBe(1);
    const runId = (await row.getAttribute('data-run-id'))!;
    expect(await row.locator('td:nth-child(2)').innerText()).toBe(nearest);
    for (const metric of ['loss', 'accuracy', 'val/loss'])
      await eventually(() =>
        page.locator(`.chart-card[data-metric="${metric}"] .uplot`).getAttribute('data-highlighted-run'),
      ).toBe(runId);

    // Leaving the chart clears it all.
    await page.mouse.move(5, 5);
    await eventually(() => row.count()).toBe(0);
    await eventually(() => page.locator(`${loss} .chart-tip`).isVisible()).toBe(false);
    expect(await page.locator(`${loss} .uplot`).getAttribute('data-highlighted-run')).toBe('');

    // Hovering a table row highlights that run's line in every chart it is drawn in.
    const tableRow = page.locator('table[aria-label="Runs"] tbody tr[data-run-id]').nth(2);
    const hoveredId = (await tableRow.getAttribute('data-run-id'))!;
    await tableRow.hover();
    await eventually(() => tableRow.getAttribute('class')).toContain('run-highlighted');
    for (const metric of ['loss', 'accuracy', 'val/accuracy'])
      await eventually(() =>
        page.locator(`.chart-card[data-metric="${metric}"] .uplot`).getAttribute('data-highlighted-run'),
      ).toBe(hoveredId);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('line chart controls', { timeout: 120_000 }, () => {
  it('log axes, ignore outliers, full screen and exports on the experiment panel, kept in the layout', async () => {
    const { page, errors } = await h.open(`/experiments/${h.seeded.experimentId}`);
    const card = '.chart-card[data-metric="val/loss"]';
    await eventually(() => canvasHasInk(page, `${card} canvas`)).toBe(true);
    const tool = (name: string) => page.locator(card).getByRole('button', { name, exact: true });
    await tool('Log scale y').click();
    await eventually(() => layoutChart(page, 'val/loss')?.logY).toBe(true);
    expect(await tool('Log scale y').getAttribute('aria-pressed')).toBe('true');
    await tool('Log scale x').click();
    await tool('Ignore outliers').click();
    await eventually(() => layoutChart(page, 'val/loss')).toMatchObject({ logX: true, logY: true, clip: true });
    await eventually(() => canvasHasInk(page, `${card} canvas`)).toBe(true);
    // Other charts keep their own settings.
    expect(layoutChart(page, 'loss')).toMatchObject({ logX: false, logY: false, clip: false });
    // The settings survive a reload (they are in the URL's layout, so in saved views too).
    await page.reload();
    await eventually(() => tool('Ignore outliers').getAttribute('aria-pressed')).toBe('true');

    // Full screen, closed by Escape.
    await tool('Full screen').click();
    await eventually(() => page.locator(card).getAttribute('class')).toContain('chart-full');
    const full = (await page.locator(`${card} canvas`).boundingBox())!;
    expect(full.height).toBeGreaterThan(400);
    await page.keyboard.press('Escape');
    await eventually(() => page.locator(card).getAttribute('class')).not.toContain('chart-full');

    // CSV of the drawn points: one row per run and point.
    const [csv] = await Promise.all([page.waitForEvent('download'), tool('Export CSV').click()]);
    expect(csv.suggestedFilename()).toBe('val_loss.csv');
    const lines = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('run_id,run,step,val/loss');
    // Log x leaves out step 0: 49 of the 50 validation points per child run.
    const perRun = new Map<string, number>();
    for (const l of lines.slice(1)) perRun.set(l.split(',')[0], (perRun.get(l.split(',')[0]) ?? 0) + 1);
    expect(perRun.size).toBeGreaterThan(50);
    expect(new Set(perRun.values())).toEqual(new Set([49]));
    const [png] = await Promise.all([page.waitForEvent('download'), tool('Export PNG').click()]);
    expect(png.suggestedFilename()).toBe('val_loss.png');
    expect(
      readFileSync((await png.path())!)
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the compare page charts several metrics at once, each with the same controls and hover', async () => {
    const ids = h.seeded.childRunIds.slice(0, 4).flat();
    const runs = ids.map((id) => `runs=${id}`).join('&');
    const { page, errors } = await h.open(`/compare?${runs}&exp=${h.seeded.experimentId}`);
    // One metric to start with (the commonest; ties go alphabetically); more from the picker, one chart each.
    await eventually(() => page.locator('.chart-card[data-metric]').getAttribute('data-metric')).toBe('accuracy');
    await page.getByLabel('Add metric').selectOption('val/loss');
    await eventually(() => page.locator('.chart-card[data-metric]').count()).toBe(2);
    await page.getByLabel('Add metric').selectOption('loss');
    await eventually(() => new URL(page.url()).searchParams.getAll('metric')).toEqual(['accuracy', 'val/loss', 'loss']);
    for (const m of ['accuracy', 'val/loss', 'loss'])
      await eventually(() => canvasHasInk(page, `.chart-card[data-metric="${m}"] canvas`)).toBe(true);
    await page.getByRole('button', { name: 'Remove metric accuracy' }).click();
    await eventually(() => page.locator('.chart-card[data-metric]').count()).toBe(2);
    const card = '.chart-card[data-metric="loss"]';
    await page.locator(card).getByRole('button', { name: 'Ignore outliers' }).click();
    await page.locator(card).getByRole('button', { name: 'Log scale x' }).click();
    await eventually(() => new URL(page.url()).searchParams.get('clip')).toBe('1');
    expect(new URL(page.url()).searchParams.get('logx')).toBe('1');
    await hoverAt(page, card, 0.3, 0.5);
    await eventually(async () => (await tipRows(page, card)).length).toBe(10);
    expect(await page.locator(`${card} .chart-tip-more`).innerText()).toMatch(/^and \d+ more$/);
    await page.locator(card).getByRole('button', { name: 'Full screen' }).click();
    await page.keyboard.press('Escape');
    await eventually(() => page.locator(card).getAttribute('class')).toBe('chart-card');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the run page charts have them too', async () => {
    const { page, errors } = await h.open(`/runs/${h.seeded.featuredRunId}?tab=charts`);
    const card = '.chart-card[data-metric="loss"]';
    await eventually(() => canvasHasInk(page, `${card} canvas`)).toBe(true);
    await page.locator(card).getByRole('button', { name: 'Log scale x' }).click();
    await eventually(() => new URL(page.url()).searchParams.get('logx')).toBe('1');
    await hoverAt(page, card, 0.5, 0.5);
    await eventually(async () => (await tipRows(page, card)).length).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
