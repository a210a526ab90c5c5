// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow } from '../support/server.ts';
import { screenshot } from './support/browser.ts';
import { eventually, startSweepHarness, type UiHarness, unlabelledControls } from './support/harness.ts';
import type { SweepSeeded } from './support/sweep-seed.ts';

let h: UiHarness<SweepSeeded>;
beforeAll(async () => {
  h = await startSweepHarness();
}, 600_000);
afterAll(async () => h?.close());

/** The children of the first five trials: 45 runs with every param and metric of the sweep. */
const children = () => h.seeded.childRunIds.slice(0, 5).flat();
const compareUrl = (ids: string[], extra = '') =>
  `/compare?${ids.map((id) => `runs=${id}`).join('&')}&exp=${h.seeded.experimentId}${extra}`;

/** The drawn text of SVG <text> elements (SVG has no innerText), leaving out their <title> tooltips. */
const ownTexts = (texts: Locator) =>
  texts.evaluateAll((ts) =>
    ts.map((t) =>
      [...t.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent)
        .join(''),
    ),
  );

interface Box {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Every rendered text of the chart, as screen boxes. */
async function labelBoxes(page: Page, selector: string): Promise<Box[]> {
  return page.locator(`${selector} text`).evaluateAll((ts) =>
    ts
      .map((t) => {
        const r = t.getBoundingClientRect();
        // A <text>'s own characters only: its <title> child is a tooltip, not drawn.
        const text = [...t.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent)
          .join('');
        return { text, x: r.x, y: r.y, w: r.width, h: r.height };
      })
      .filter((b) => b.w > 0 && b.h > 0),
  );
}

function overlaps(boxes: Box[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const dx = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const dy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (dx > 0.5 && dy > 0.5) out.push(`${a.text} × ${b.text}`);
    }
  return out;
}

const strokes = (page: Page) =>
  page
    .locator('svg.parallel path.pc-line')
    .evaluateAll(
      (ps) =>
        Object.fromEntries(ps.map((p) => [p.getAttribute('data-run-id'), p.getAttribute('stroke')])) as Record<
          string,
          string | null
        >,
    );

describe('sweep analysis: parallel coordinates', { timeout: 180_000 }, () => {
  it('log-scales lr and weight_decay, leaves seed and system metrics out, colours lines by a metric, keeps labels apart', async () => {
    const ids = children();
    const { page, errors } = await h.open(compareUrl(ids));
    const pc = page.locator('svg.parallel');
    await eventually(() => pc.locator('path.pc-line').count()).toBe(ids.length);

    const axes = await pc
      .locator('g[data-axis]')
      .evaluateAll((gs) =>
        Object.fromEntries(gs.map((g) => [g.getAttribute('data-axis'), g.getAttribute('data-scale')])),
      );
    expect(axes).toMatchObject({
      'params.lr': 'log',
      'params.weight_decay': 'log',
      'params.batch_size': 'linear',
      'params.optimizer': 'categorical',
    });
    expect(Object.keys(axes)).not.toContain('params.seed');
    expect(Object.keys(axes).filter((f) => f.startsWith('metrics.system/'))).toEqual([]);
    expect(Object.keys(axes).some((f) => f.startsWith('metrics.'))).toBe(true);
    // Decades label the log axis: 1e-5 at the bottom, 0.1 at the top.
    const lrTicks = await ownTexts(pc.locator('g[data-axis="params.lr"] .axis text'));
    expect(lrTicks).toEqual(['1.0e-5', '0.0001', '0.001', '0.01', '0.1']);

    // Lines are coloured by the first metric axis by default, with a legend of its range.
    const firstMetric = Object.keys(axes).find((f) => f.startsWith('metrics.'))!;
    expect(await pc.getAttribute('data-color-by')).toBe(firstMetric);
    await eventually(() => page.locator(`.pc-legend[data-legend-field="${firstMetric}"]`).count()).toBe(1);
    const byDefault = await strokes(page);
    expect(new Set(Object.values(byDefault)).size).toBeGreaterThan(10);
    for (const s of Object.values(byDefault)) expect(s).toMatch(/^rgb\(/);

    // Colour by lr instead: different colours, the legend follows, the choice is in the URL.
    await page.getByLabel('Colour lines by').selectOption('params.lr');
    await eventually(() => pc.getAttribute('data-color-by')).toBe('params.lr');
    const byLr = await strokes(page);
    expect(byLr).not.toEqual(byDefault);
    // Nine lrs, one per child: nine colours.
    expect(new Set(Object.values(byLr)).size).toBe(9);
    expect(await page.locator('.pc-legend').getAttribute('data-legend-field')).toBe('params.lr');
    expect(await page.locator('.pc-legend').innerText()).toContain('log scale');
    expect(new URL(page.url()).searchParams.get('pcc')).toBe('params.lr');
    await page.locator('[data-chart="parallel"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'sweep-parallel-coordinates');

    // Run colours on request.
    await page.getByLabel('Colour lines by').selectOption({ label: 'Run colour' });
    await eventually(() => pc.getAttribute('data-color-by')).toBe('run');
    expect(await page.locator('.pc-legend').count()).toBe(0);
    expect(Object.values(await strokes(page)).every((s) => /^#[0-9a-f]{6}$/i.test(s ?? ''))).toBe(true);

    // The user can turn a detected log axis back to linear (and it is kept in the URL).
    await page.locator('summary', { hasText: /^Log axes/ }).click();
    await page.getByRole('checkbox', { name: 'Log scale for lr' }).uncheck();
    await eventually(() => pc.locator('g[data-axis="params.lr"]').getAttribute('data-scale')).toBe('linear');
    expect(new URL(page.url()).searchParams.getAll('pcs')).toEqual(['linear~params.lr']);
    await page.locator('summary', { hasText: /^Log axes/ }).click();

    expect(overlaps(await labelBoxes(page, 'svg.parallel'))).toEqual([]);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps axis names and ticks apart when many axes with long names crowd the plot', async () => {
    const fields = [
      'params.lr',
      'params.weight_decay',
      'params.batch_size',
      'params.dropout',
      'params.optimizer',
      'params.seed',
      'params.dataset',
      'metrics.loss',
      'metrics.accuracy',
      'metrics.val/loss',
      'metrics.val/accuracy',
      'metrics.system/cpu_utilization_percentage',
      'metrics.system/gpu_0_utilization_percentage',
      'metrics.system/gpu_0_memory_usage_megabytes',
    ];
    const { page, errors } = await h.open(
      compareUrl(children(), fields.map((f) => `&pc=${encodeURIComponent(f)}`).join('')),
    );
    const pc = page.locator('svg.parallel');
    await eventually(() => pc.locator('g[data-axis]').count()).toBe(14);
    const boxes = await labelBoxes(page, 'svg.parallel');
    expect(overlaps(boxes)).toEqual([]);
    // Long names are cut, with the full name in a tooltip.
    const title = pc.locator('g[data-axis="metrics.system/gpu_0_memory_usage_megabytes"] text.axis-title');
    expect((await ownTexts(title))[0]).toMatch(/…$/);
    expect(await title.locator('title').textContent()).toBe('system/gpu_0_memory_usage_megabytes (metric)');
    await page.locator('[data-chart="parallel"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'sweep-parallel-crowded');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('sweep analysis: contour and the charts panel', { timeout: 180_000 }, () => {
  it('offers only numeric fields for contours and explains a saved non-numeric choice', async () => {
    const { page, errors } = await h.open(compareUrl(children()));
    const contour = page.locator('[data-chart="contour"]');
    await eventually(() => contour.locator('canvas.contour').count()).toBe(1);
    // Defaults: the numeric params with the most distinct values.
    expect(await page.getByLabel('Contour x').inputValue()).toBe('params.lr');
    expect(await page.getByLabel('Contour y').inputValue()).toBe('params.weight_decay');
    for (const label of ['Contour x', 'Contour y', 'Contour z (colour)']) {
      const options = await page
        .getByLabel(label)
        .locator('option')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      expect(options).toContain('params.lr');
      expect(options).not.toContain('params.optimizer');
      expect(options).not.toContain('params.dataset');
    }

    // The scatter takes the same automatic log scale: lr's decades spread across its x axis.
    await page.getByLabel('Scatter x').selectOption('params.lr');
    await eventually(() => ownTexts(page.locator('svg.scatter .axis text'))).toEqual(
      expect.arrayContaining(['1.0e-5', '0.0001', '0.001', '0.01', '0.1']),
    );

    await page.goto(compareUrl(children(), '&cx=params.optimizer'));
    await eventually(() => contour.locator('[data-not-numeric]').getAttribute('data-not-numeric')).toBe('optimizer');
    expect(await contour.locator('canvas').count()).toBe(0);
    expect(await contour.innerText()).toContain('optimizer is not numeric');
    const picked = page.getByLabel('Contour x').locator('option:checked');
    expect(await picked.innerText()).toBe('optimizer (not numeric)');
    // Picking a numeric field brings the chart back.
    await page.getByLabel('Contour x').selectOption('params.dropout');
    await eventually(() => contour.locator('canvas.contour').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('adds a parallel coordinates chart to the experiment panel with log axes and a colour choice kept in the layout', async () => {
    // The charts panel is open by default.
    const { page, errors } = await h.open(`/experiments/${h.seeded.experimentId}`);
    await page.getByLabel('Chart type').selectOption('parallel');
    await page.getByRole('button', { name: 'Add chart' }).click();
    const pc = page.locator('section[data-chart="parallel"] svg.parallel');
    await eventually(() => pc.locator('path.pc-line').count()).toBeGreaterThan(50);
    const axes = await pc.locator('g[data-axis]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-axis')));
    expect(axes).toContain('params.lr');
    expect(axes).not.toContain('params.seed');
    expect(axes.filter((a) => a?.startsWith('metrics.system/'))).toEqual([]);
    expect(await pc.locator('g[data-axis="params.lr"]').getAttribute('data-scale')).toBe('log');
    await page.getByLabel('Colour lines by').selectOption('metrics.loss');
    await eventually(() => pc.getAttribute('data-color-by')).toBe('metrics.loss');
    const layout = JSON.parse(new URL(page.url()).searchParams.get('charts') ?? '{}');
    // Added after the default line charts.
    expect(layout.charts.at(-1)).toMatchObject({ type: 'parallel', color: 'metrics.loss' });
    expect(overlaps(await labelBoxes(page, 'section[data-chart="parallel"] svg.parallel'))).toEqual([]);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('sweep analysis: compare experiments', { timeout: 180_000 }, () => {
  it('shows the runs’ latest metrics as columns, lets the user choose them, and sorts by one on the server', async () => {
    const api = mlflow(h.server);
    const otherId = await api.createExperiment('lr-sweep-small');
    for (const [i, loss] of [0.05, 0.9, 0.45].entries()) {
      const runId = await api.createRun(otherId, { run_name: `small-${i}`, start_time: Date.UTC(2026, 0, 1) + i });
      await api.ok('POST', '/runs/log-batch', {
        run_id: runId,
        metrics: [
          { key: 'loss', value: loss, timestamp: 1, step: 0 },
          { key: 'f1', value: 0.5 + i / 10, timestamp: 1, step: 0 },
        ],
      });
    }
    const { page, errors } = await h.open(`/compare-experiments?exp=${h.seeded.experimentId}&exp=${otherId}`);
    const table = page.getByRole('table', { name: 'Runs of the compared experiments' });
    await eventually(() => table.locator('tbody tr').count()).toBe(100);
    const headers = () => table.locator('thead th').allInnerTexts();
    // The commonest metrics, hardware ones left out.
    await eventually(async () => (await headers()).slice(6)).toEqual(['accuracy', 'loss', 'val/accuracy', 'val/loss']);
    const small = table.locator('tbody tr', { has: page.getByRole('link', { name: 'small-0', exact: true }) });
    expect(await small.locator('td[data-column="metrics.loss"]').innerText()).toBe('0.05');

    // Add f1 from the same chooser the runs table uses.
    await page.locator('summary', { hasText: /^Columns/ }).click();
    await page.getByRole('checkbox', { name: 'f1', exact: true }).check();
    await page.locator('summary', { hasText: /^Columns/ }).click();
    await eventually(async () => (await headers()).slice(6)).toContain('f1');
    expect(await small.locator('td[data-column="metrics.f1"]').innerText()).toBe('0.5');
    expect(new URL(page.url()).searchParams.getAll('col')).toContain('metrics.f1');

    // Sort by loss, ascending, then descending: the server orders every run, not just the loaded page.
    const losses = async () =>
      (await table.locator('tbody td[data-column="metrics.loss"]').allInnerTexts()).map(Number);
    await page.getByRole('button', { name: 'Sort by loss' }).click();
    await eventually(async () => (await losses())[0]).toBe(0.05);
    const asc = await losses();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect(new URL(page.url()).searchParams.get('sort')).toBe('metrics.loss:asc');
    await page.getByRole('button', { name: 'Sort by loss' }).click();
    await eventually(async () => new URL(page.url()).searchParams.get('sort')).toBe('metrics.loss:desc');
    await eventually(async () => {
      const desc = await losses();
      return desc.every((v, i) => i === 0 || desc[i - 1] >= v) && desc[0] > 0.9;
    }).toBe(true);
    await screenshot(page, 'compare-experiments-metrics');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
