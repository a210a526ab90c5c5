// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasHasInk, screenshot } from './support/browser.ts';
import { eventually, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';

let h: UiHarness;
let runPath: string;
beforeAll(async () => {
  h = await startUiHarness();
  runPath = `/experiments/${h.seeded.experimentId}/runs/${h.seeded.baselineRunId}`;
}, 120_000);
afterAll(async () => h?.close());

const field = (page: Page, name: string) =>
  page
    .locator('table[aria-label="Run details"] tr', { has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) })
    .locator('td');

describe('run page', { timeout: 90_000 }, () => {
  it('overview: status, times, user, source, git commit, dataset, child runs', async () => {
    const { page, errors } = await h.open(runPath);
    await eventually(() => page.locator('h1').innerText()).toBe('baseline-resnet');
    expect(await field(page, 'Status').innerText()).toBe('FINISHED');
    expect(await field(page, 'User').innerText()).toBe('carol');
    expect(await field(page, 'Duration').innerText()).toBe('50m 00s');
    expect(await field(page, 'Source').innerText()).toBe('train.py · LOCAL');
    expect(await field(page, 'Git commit').innerText()).toBe('3f9a1c27e4b0');
    expect(await field(page, 'Started').innerText()).toMatch(/^2025-01-0[67] \d\d:\d\d:\d\d$/);
    const datasets = page.locator('table[aria-label="Datasets"] tbody tr');
    expect(await datasets.innerText()).toMatch(/imagenet-mini\s+training\s+a1b2c3d4\s+local/);
    expect(await page.getByText('ResNet-18 baseline on the v3 split.').count()).toBe(1);
    await eventually(() => page.getByRole('link', { name: 'finetune-child' }).count()).toBe(1);
    await screenshot(page, 'run-overview');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('links a child run to its parent (tag mlflow.parentRunId)', async () => {
    const { page } = await h.open(`/runs/${h.seeded.childRunId}`);
    await eventually(() => page.getByTestId('parent-run').innerText()).toBe('baseline-resnet');
    await page.getByTestId('parent-run').click();
    await eventually(() => page.locator('h1').innerText()).toBe('baseline-resnet');
    await page.context().close();
  });

  it('params: a tree by path, searchable, folders collapsible', async () => {
    const { page } = await h.open(`${runPath}?tab=params`);
    const keys = () =>
      page
        .locator('table[aria-label="Parameters"] tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    await expect
      .poll(keys)
      .toEqual([
        'batch_size',
        'lr',
        'model',
        'model/depth',
        'model/pretrained',
        'optimizer',
        'optimizer/adam',
        'optimizer/adam/beta1',
        'optimizer/adam/beta2',
        'optimizer/name',
      ]);
    await screenshot(page, 'run-params');
    await page.getByRole('button', { name: 'Collapse optimizer/adam' }).click();
    await eventually(keys).not.toContain('optimizer/adam/beta1');
    await page.getByLabel('Search parameters').fill('beta2');
    await eventually(keys).toEqual(['optimizer', 'optimizer/adam', 'optimizer/adam/beta2']);
    expect(await page.locator('tr[data-key="optimizer/adam/beta2"] td').innerText()).toBe('0.999');
    expect(new URL(page.url()).searchParams.get('pq')).toBe('beta2');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.context().close();
  });

  it('metrics: latest values, and a button to chart one', async () => {
    const { page } = await h.open(`${runPath}?tab=metrics`);
    const row = (key: string) =>
      page.locator('table[aria-label="Metrics"] tbody tr', {
        has: page.locator('th', { hasText: new RegExp(`^${key}$`) }),
      });
    await eventually(() => row('loss').locator('td').first().innerText()).toBe('0.212949');
    expect(await row('loss').locator('td').nth(1).innerText()).toBe('2999');
    expect(await row('val/loss').locator('td').first().innerText()).toBe('0.31');
    await page.getByRole('button', { name: 'Chart loss' }).click();
    await eventually(() => new URL(page.url()).searchParams.get('tab')).toBe('charts');
    expect(new URL(page.url()).searchParams.getAll('m')).toEqual(['loss']);
    await eventually(() => page.locator('.chart-card[data-metric="loss"] canvas').count()).toBe(1);
    await page.context().close();
  });

  it('charts: downsampled history drawn with uPlot; a drag zooms and re-requests that step range', async () => {
    const { page, errors } = await h.open(runPath);
    const requests: URL[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/trove/v1/metrics/chart')) requests.push(new URL(r.url()));
    });
    await page.getByRole('tab', { name: 'Charts' }).click();
    const loss = page.locator('.chart-card[data-metric="loss"]');
    await eventually(() => loss.locator('canvas').count()).toBe(1);
    await eventually(() => canvasHasInk(page, '.chart-card[data-metric="loss"] canvas')).toBe(true);
    const first = requests.find((u) => u.searchParams.get('metric_key') === 'loss')!;
    expect(Number(first.searchParams.get('points'))).toBe(1000);
    expect(first.searchParams.get('start_step')).toBeNull();
    // The server downsampled the 3,000 steps to at most 1,000 points (first, min, max and last of each step bucket).
    const drawn = async () =>
      Number(/(\d+) points/.exec(await loss.locator('.chart-summary').first().innerText())?.[1]);
    await eventually(drawn).toBeGreaterThan(250);
    expect(await drawn()).toBeLessThanOrEqual(1000);
    await screenshot(page, 'run-charts');

    const over = loss.locator('.u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await eventually(() => new URL(page.url()).searchParams.get('from')).not.toBeNull();
    const from = Number(new URL(page.url()).searchParams.get('from'));
    const to = Number(new URL(page.url()).searchParams.get('to'));
    expect(from).toBeGreaterThan(700);
    expect(to).toBeLessThan(1400);
    await eventually(() =>
      requests.some(
        (u) => u.searchParams.get('metric_key') === 'loss' && u.searchParams.get('start_step') === String(from),
      ),
    ).toBe(true);
    // The zoomed range holds fewer steps than `points`: every step comes back.
    await eventually(() => loss.locator('.chart-summary').first().innerText()).toContain(`${to - from + 1} points`);
    await page
      .getByRole('button', { name: /^Reset zoom/ })
      .first()
      .click();
    await eventually(() => new URL(page.url()).searchParams.get('from')).toBeNull();

    // Smoothing adds a smoothed line over the raw one, and lives in the URL.
    await page.getByLabel(/^Smoothing/).fill('0.8');
    await eventually(() => new URL(page.url()).searchParams.get('smooth')).toBe('0.8');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('artifacts: image, CSV table, text, JSON, audio with Range, sandboxed HTML', async () => {
    const { page, errors } = await h.open(`${runPath}?tab=artifacts`);
    const mediaRanges: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('sample.wav')) mediaRanges.push(r.headers().range ?? '');
    });
    const tree = page.getByRole('navigation', { name: 'Artifacts' });
    const preview = page.locator('.preview');
    await tree.getByRole('button', { name: /^▸ plots\/$/ }).click();
    await tree.getByRole('button', { name: /confusion\.png/ }).click();
    await eventually(() =>
      preview.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).toBe(160);
    expect(new URL(page.url()).searchParams.get('path')).toBe('plots/confusion.png');
    await screenshot(page, 'run-artifacts-image');

    await tree.getByRole('button', { name: /^▸ eval\/$/ }).click();
    await tree.getByRole('button', { name: /metrics\.csv/ }).click();
    const table = preview.getByRole('table', { name: 'Table metrics.csv' });
    await eventually(() => table.locator('tbody tr').count()).toBe(20);
    expect(await table.locator('thead').innerText()).toMatch(/epoch\s+loss\s+accuracy/);
    await screenshot(page, 'run-artifacts-csv');

    await tree.getByRole('button', { name: /notes\.txt/ }).click();
    await eventually(() => preview.locator('pre').innerText()).toContain('Best epoch: 17.');

    await tree.getByRole('button', { name: /config\.json/ }).click();
    await eventually(() => preview.locator('pre').innerText()).toContain('"depth": 18');

    await tree.getByRole('button', { name: /^▸ audio\/$/ }).click();
    await tree.getByRole('button', { name: /sample\.wav/ }).click();
    const audio = preview.locator('audio');
    await eventually(() => audio.evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThanOrEqual(1);
    expect(await audio.evaluate((a: HTMLAudioElement) => Math.round(a.duration * 10) / 10)).toBe(1.5);
    expect(await audio.getAttribute('controls')).not.toBeNull();
    // The media element reads with Range requests (seeking relies on them).
    expect(mediaRanges.some((r) => r.startsWith('bytes='))).toBe(true);

    await tree.getByRole('button', { name: /report\.html/ }).click();
    const frame = preview.locator('iframe');
    await eventually(() => frame.getAttribute('sandbox')).toBe('');
    await eventually(() => page.frameLocator('.preview iframe').locator('#title').innerText()).toBe('Eval report');
    // Its script did not run.
    expect(await page.title()).toBe('Trove');
    expect(errors.filter((e) => !/sandbox/i.test(e))).toEqual([]);
    await page.context().close();
  });

  it('tags: user tags apart from system tags', async () => {
    const { page } = await h.open(`${runPath}?tab=tags`);
    await eventually(() => page.getByRole('table', { name: 'Tags', exact: true }).innerText()).toContain('team');
    expect(await page.getByRole('table', { name: 'System tags' }).innerText()).toContain('mlflow.source.git.commit');
    await page.context().close();
  });
});
