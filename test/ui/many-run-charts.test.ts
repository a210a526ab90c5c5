// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasHasInk, screenshot } from './support/browser.ts';
import { eventually, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';
import { makePng } from './support/media.ts';

let h: UiHarness;
beforeAll(async () => {
  h = await startUiHarness();
  const { seeded } = h;
  const [r0, r1, r2] = seeded.sweepRunIds;
  // The same plot in three runs (one of them with an extra file), for the common-artifacts section.
  for (const [i, id] of [r0, r1, r2].entries()) await putArtifact(id, 'plots/roc.png', makePng(40 + i * 10, 30));
  await putArtifact(r0, 'notes/only-here.txt', Buffer.from('x'));
  // Images logged per step the way MLflow's log_image(key=…, step=…) stores them; widths tell them apart.
  const imgRun = seeded.sweepRunIds[7];
  for (const [step, width] of [
    [0, 40],
    [10, 60],
    [20, 80],
  ] as const) {
    await putArtifact(
      imgRun,
      `images/pred%step%${step}%timestamp%${1_700_000_000_000 + step}%gabc${step}.png`,
      makePng(width, 24),
    );
  }
  for (const [step, width] of [
    [0, 30],
    [20, 50],
  ] as const) {
    await putArtifact(
      imgRun,
      `images/mask%step%${step}%timestamp%${1_700_000_000_000 + step}%hdef${step}.png`,
      makePng(width, 24),
    );
  }
  // Hardware metrics as MLflow's system-metrics logger names them, on the newest sweep run.
  const sysRun = seeded.sweepRunIds[seeded.sweepRunIds.length - 1];
  const metrics = Array.from({ length: 20 }, (_, step) => ({
    key: 'system/cpu_utilization_percentage',
    value: 40 + (step % 5) * 10,
    timestamp: 1_700_000_000_000 + step * 10_000,
    step,
  }));
  const res = await h.server.call('POST', '/api/2.0/mlflow/runs/log-batch', { run_id: sysRun, metrics });
  if (res.status !== 200) throw new Error(`log-batch → ${res.status}`);
}, 180_000);
afterAll(async () => h?.close());

async function putArtifact(runId: string, path: string, body: Buffer): Promise<void> {
  const res = await fetch(
    `${h.server.url}/api/2.0/mlflow-artifacts/artifacts/${h.seeded.experimentId}/${runId}/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`,
    {
      method: 'PUT',
      body: new Uint8Array(body),
    },
  );
  if (res.status !== 200) throw new Error(`PUT ${path} → ${res.status}`);
}

/** The seed's loss for sweep run `i` (test/ui/support/seed.ts). */
const sweepLoss = (i: number) => 0.2 + ((i * 37) % 100) / 100;
const sweepLr = (i: number) => [0.1, 0.03, 0.01, 0.003][i % 4];

const compareUrl = (ids: string[]) =>
  `/compare?${ids.map((id) => `runs=${id}`).join('&')}&exp=${h.seeded.experimentId}`;

/** Drags vertically along an element, from `from` to `to` (fractions of its height, 0 = top). */
async function dragAlong(page: Page, selector: string, from: number, to: number) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + box.height * from);
  await page.mouse.down();
  await page.mouse.move(x, box.y + box.height * ((from + to) / 2), { steps: 4 });
  await page.mouse.move(x, box.y + box.height * to, { steps: 4 });
  await page.mouse.up();
}

describe('compare page charts', { timeout: 120_000 }, () => {
  it('draws parallel coordinates, scatter, contour and box plot for 20 runs, and brushing narrows the highlighted runs', async () => {
    const ids = h.seeded.sweepRunIds.slice(0, 20);
    const indexOf = new Map(ids.map((id, i) => [id, i]));
    const { page, errors } = await h.open(compareUrl(ids));
    await eventually(() => page.locator('h1').innerText()).toBe('Compare 20 runs');

    // Parallel coordinates: one polyline per run crossing every axis it has a value on.
    const pc = page.locator('svg.parallel');
    await eventually(() => pc.locator('path.pc-line').count()).toBe(20);
    const axes = await pc.locator('g[data-axis]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-axis')));
    expect(axes).toEqual(
      expect.arrayContaining([
        'params.lr',
        'params.batch_size',
        'params.optimizer/name',
        'metrics.loss',
        'metrics.accuracy',
      ]),
    );
    const ds = await pc.locator('path.pc-line').evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''));
    for (const d of ds) expect((d.match(/L/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(await pc.getAttribute('data-highlighted-count')).toBe('20');

    // Scatter (x = a param that varies, y = the commonest metric): a dot per run, spread over the plot.
    const dots = page.locator('svg.scatter circle.dot');
    await eventually(() => dots.count()).toBe(20);
    const cxs = await dots.evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cx'))));
    expect(new Set(cxs.map(Math.round)).size).toBeGreaterThan(1);

    // Contour: an interpolated colour field, not a blank canvas.
    await eventually(() => canvasHasInk(page, 'canvas.contour')).toBe(true);
    const colours = await page.locator('canvas.contour').evaluate((el) => {
      const c = el as HTMLCanvasElement;
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4)
        if (data[i + 3] === 255) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(30);
    expect(await page.locator('canvas.contour').getAttribute('data-points')).toBe('20');

    // Box plot of loss grouped by optimizer (2 values): both boxes, every run counted once.
    const groups = page.locator('svg.box-plot g.box-group');
    await eventually(() => groups.count()).toBe(2);
    expect(await groups.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-group')))).toEqual(['adam', 'sgd']);
    const ns = await groups.evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-n'))));
    expect(ns[0] + ns[1]).toBe(20);
    const heights = await page
      .locator('svg.box-plot rect.box')
      .evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
    for (const hgt of heights) expect(hgt).toBeGreaterThan(1);
    await page.locator('[data-chart="parallel"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'compare-charts');

    // Brush the upper half of the loss axis: only high-loss runs stay highlighted.
    await dragAlong(page, 'svg.parallel rect[data-brush-axis="metrics.loss"]', 0.02, 0.5);
    await eventually(async () => Number(await pc.getAttribute('data-highlighted-count'))).toBeLessThan(20);
    const count = Number(await pc.getAttribute('data-highlighted-count'));
    expect(count).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.getAll('brush').some((b) => b.endsWith('~metrics.loss'))).toBe(true);
    const lines = await pc
      .locator('path.pc-line')
      .evaluateAll((ps) => ps.map((p) => [p.getAttribute('data-run-id'), p.getAttribute('data-highlighted')] as const));
    const inLoss = lines.filter(([, hl]) => hl === 'true').map(([id]) => sweepLoss(indexOf.get(id!)!));
    const outLoss = lines.filter(([, hl]) => hl === 'false').map(([id]) => sweepLoss(indexOf.get(id!)!));
    expect(inLoss.length).toBe(count);
    // Exactly the runs whose loss lies inside the brushed range (read back from the URL, in axis fractions) stay highlighted.
    const brush = new URL(page.url()).searchParams.getAll('brush').find((b) => b.endsWith('~metrics.loss'))!;
    const [lo, hi] = brush.split('~').map(Number);
    const all = ids.map((_, i) => sweepLoss(i));
    const [min, max] = [Math.min(...all), Math.max(...all)];
    const [vlo, vhi] = [min + lo * (max - min), min + hi * (max - min)];
    for (const v of inLoss) expect(v >= vlo - 1e-9 && v <= vhi + 1e-9).toBe(true);
    for (const v of outLoss) expect(v < vlo + 1e-9 || v > vhi - 1e-9).toBe(true);
    // The scatter dims the same runs.
    expect(await dots.evaluateAll((cs) => cs.filter((c) => c.getAttribute('fill-opacity') === '0.9').length)).toBe(
      count,
    );
    // A second brush on another axis narrows further; clearing brings every run back.
    await dragAlong(page, 'svg.parallel rect[data-brush-axis="params.lr"]', 0.02, 0.3);
    await eventually(async () => Number(await pc.getAttribute('data-highlighted-count'))).toBeLessThan(count);
    await page.getByRole('button', { name: 'Clear brushes' }).click();
    await eventually(() => pc.getAttribute('data-highlighted-count')).toBe('20');
    // The keyboard brushes too: Up takes the top quarter of the axis, Escape clears it.
    await page.getByRole('slider', { name: /^Brush loss/ }).focus();
    await page.keyboard.press('ArrowUp');
    await eventually(async () => Number(await pc.getAttribute('data-highlighted-count'))).toBeLessThan(20);
    await page.keyboard.press('Escape');
    await eventually(() => pc.getAttribute('data-highlighted-count')).toBe('20');

    // Changing the scatter's y axis redraws it on that field.
    await page.getByLabel('Scatter y').selectOption('metrics.accuracy');
    await eventually(() => page.locator('svg.scatter').getAttribute('aria-label')).toContain('accuracy');
    expect(new URL(page.url()).searchParams.get('sy')).toBe('metrics.accuracy');

    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('diffs against a chosen baseline run and shows the artifacts every run has side by side', async () => {
    const ids = h.seeded.sweepRunIds.slice(0, 20);
    const { page, errors } = await h.open(compareUrl(ids));
    let artifactListings = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('/artifacts/list')) artifactListings++;
    });
    await eventually(() => page.locator('h1').innerText()).toBe('Compare 20 runs');
    await page.getByLabel('Baseline run').selectOption({ label: 'sweep-000' });
    const lrRow = page.locator('table[aria-label="Run comparison"] tr[data-key="lr"]');
    // Only the run columns in view render; each of those is marked when its lr differs from sweep-000's.
    const marks = () =>
      lrRow
        .locator('td[aria-colindex]')
        .evaluateAll((tds) =>
          tds.map(
            (td) => [Number(td.getAttribute('aria-colindex')) - 2, td.getAttribute('data-changed') === 'true'] as const,
          ),
        );
    await eventually(async () => (await marks()).filter(([, changed]) => changed).length).toBeGreaterThan(0);
    const rendered = await marks();
    expect(rendered.length).toBeGreaterThan(3);
    expect(rendered.map(([i, changed]) => [i, changed])).toEqual(rendered.map(([i]) => [i, sweepLr(i) !== sweepLr(0)]));
    expect(await lrRow.locator('td').first().getAttribute('data-changed')).toBeNull();
    // Numeric cells carry the difference to the baseline: sweep-001's lr is 0.03 - 0.1.
    expect(await lrRow.locator('td').nth(1).locator('.delta').innerText()).toBe('-0.07');
    expect(await page.locator('thead th[data-baseline]').innerText()).toContain('sweep-000');
    expect(new URL(page.url()).searchParams.get('base')).toBe(ids[0]);

    // Twenty runs: their artifacts are listed on request only, then none is common to all.
    const listButton = page.getByRole('button', { name: 'List the artifacts of the first 20 runs' });
    await listButton.scrollIntoViewIfNeeded();
    expect(artifactListings).toBe(0);
    await listButton.click();
    await eventually(() => page.getByText('No artifact path is present in every run.').count()).toBe(1);
    expect(artifactListings).toBeGreaterThanOrEqual(20); // one per run, more for folders

    // Three runs: listed by themselves once the section nears the viewport.
    await page.goto(compareUrl(ids.slice(0, 3)));
    await page.getByRole('heading', { name: 'Common artifacts' }).scrollIntoViewIfNeeded();
    const common = page.locator('ul[aria-label="Common artifacts"] li');
    await eventually(() => common.allInnerTexts()).toEqual(['plots/roc.png']);
    const imgs = page.locator('.side-by-side img');
    await eventually(() => imgs.count()).toBe(3);
    await page.locator('.side-by-side').scrollIntoViewIfNeeded(); // the previews load lazily
    await eventually(() => imgs.evaluateAll((is) => is.map((i) => (i as HTMLImageElement).naturalWidth))).toEqual([
      40, 50, 60,
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('experiment charts panel', { timeout: 120_000 }, () => {
  it('adds a scatter chart and a line chart for the runs in the table, kept in the URL', async () => {
    // Start from an emptied layout (the default one holds a line chart per metric).
    const empty = encodeURIComponent(JSON.stringify({ version: 1, charts: [], maxRuns: 100, collapsed: [] }));
    const { page, errors } = await h.open(`/experiments/${h.seeded.experimentId}?charts=${empty}`);
    await page.getByLabel('Chart type').selectOption('scatter');
    await page.getByRole('button', { name: 'Add chart' }).click();
    const scatter = page.locator('section[data-chart="scatter"] svg.scatter circle.dot');
    await eventually(() => scatter.count()).toBeGreaterThan(50);
    const layout = JSON.parse(new URL(page.url()).searchParams.get('charts') ?? '{}');
    expect(layout.charts).toEqual([{ type: 'scatter', x: expect.stringMatching(/^params\./), y: 'metrics.loss' }]);

    await page.getByLabel('Chart type').selectOption('line');
    await page.getByRole('button', { name: 'Add chart' }).click();
    await eventually(() => canvasHasInk(page, 'section[data-chart="line"] canvas')).toBe(true);
    await screenshot(page, 'experiment-charts');

    // Every other chart type draws for the same runs.
    for (const type of ['bar', 'box', 'contour', 'parallel']) {
      await page.getByLabel('Chart type').selectOption(type);
      await page.getByRole('button', { name: 'Add chart' }).click();
    }
    await eventually(() => page.locator('section[data-chart="bar"] rect.bar').count()).toBeGreaterThan(50);
    await eventually(() => page.locator('section[data-chart="box"] g.box-group').count()).toBeGreaterThan(1);
    await eventually(() => canvasHasInk(page, 'section[data-chart="contour"] canvas')).toBe(true);
    await eventually(() => page.locator('section[data-chart="parallel"] path.pc-line').count()).toBeGreaterThan(50);
    // Fewer runs charted: the scatter redraws with just those.
    await page.getByLabel('Runs charted').fill('10');
    await page.getByLabel('Runs charted').press('Enter');
    await eventually(() => scatter.count()).toBe(10);
    expect(JSON.parse(new URL(page.url()).searchParams.get('charts') ?? '{}').maxRuns).toBe(10);
    for (const type of ['bar', 'box', 'contour', 'parallel']) {
      await page.locator(`section[data-chart="${type}"] h3 button`).click();
    }
    await page.getByLabel('Runs charted').fill('100');
    await page.getByLabel('Runs charted').press('Enter');

    // A shared link draws the same charts.
    await page.reload();
    await eventually(() => page.locator('section[data-chart]').count()).toBe(2);
    await eventually(() => scatter.count()).toBeGreaterThan(50);
    await page.getByRole('button', { name: /^Remove chart loss vs/ }).click();
    await eventually(() => page.locator('section[data-chart]').count()).toBe(1);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('system metrics', { timeout: 90_000 }, () => {
  it('are grouped apart on the run charts tab and the experiment charts panel', async () => {
    const sysRun = h.seeded.sweepRunIds[h.seeded.sweepRunIds.length - 1];
    const { page, errors } = await h.open(`/runs/${sysRun}?tab=charts`);
    await eventually(() => page.locator('.chart-card[data-metric="loss"] canvas').count()).toBe(1);
    // Not among the default charts, but in its own section, drawn when opened.
    expect(await page.locator('.chart-card[data-metric="system/cpu_utilization_percentage"]').count()).toBe(0);
    await page.locator('summary', { hasText: 'System metrics (1)' }).click();
    await eventually(() =>
      canvasHasInk(page, '.chart-card[data-metric="system/cpu_utilization_percentage"] canvas'),
    ).toBe(true);

    // The experiment's charts show by default, system metrics in their own folded section.
    await page.goto(`/experiments/${h.seeded.experimentId}`);
    await page.locator('.experiment-charts summary', { hasText: 'System metrics (1)' }).click();
    await eventually(() =>
      canvasHasInk(page, '.experiment-charts .chart-card[data-metric="system/cpu_utilization_percentage"] canvas'),
    ).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('run page images', { timeout: 60_000 }, () => {
  it('slides through the steps of images logged per step', async () => {
    const { page, errors } = await h.open(`/runs/${h.seeded.sweepRunIds[7]}?tab=images`);
    const pred = page.locator('figure[data-key="pred"] img');
    const mask = page.locator('figure[data-key="mask"]');
    const width = (loc: typeof pred) =>
      loc.evaluate((i) => ((i as HTMLImageElement).complete ? (i as HTMLImageElement).naturalWidth : 0));
    await eventually(() => page.getByLabel(/^Step/).count()).toBe(1);
    await eventually(() => width(pred)).toBe(80); // the last step first
    expect(await page.locator('label', { hasText: /^Step/ }).innerText()).toContain('Step 20 (3 of 3)');
    await screenshot(page, 'run-images');

    const slider = page.getByLabel(/^Step/);
    await slider.focus();
    await page.keyboard.press('Home');
    await eventually(() => width(pred)).toBe(40);
    expect(new URL(page.url()).searchParams.get('istep')).toBe('0');
    await page.keyboard.press('ArrowRight');
    await eventually(() => width(pred)).toBe(60);
    // mask has nothing at step 10: it keeps its step-0 image.
    expect(await mask.getAttribute('data-step')).toBe('0');
    expect(await width(mask.locator('img'))).toBe(30);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
