// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow } from '../support/server.ts';
import { screenshot } from './support/browser.ts';
import { eventually, startSweepHarness, type UiHarness, unlabelledControls } from './support/harness.ts';
import type { SweepSeeded } from './support/sweep-seed.ts';

let h: UiHarness<SweepSeeded>;
let runPath: string;
let loggedModelId: string;
/** A 300-character unbroken value, as a checkpoint path or a hash might be. */
const LONG = `s3://bucket/${'x'.repeat(300)}`;

beforeAll(async () => {
  h = await startSweepHarness();
  const { experimentId, featuredRunId } = h.seeded;
  runPath = `/experiments/${experimentId}/runs/${featuredRunId}`;
  const api = mlflow(h.server);
  // This file's own server: what it adds here no other test sees.
  await api.ok('POST', '/runs/set-tag', { run_id: featuredRunId, key: 'checkpoint', value: LONG });
  await api.ok('POST', '/runs/log-parameter', { run_id: featuredRunId, key: 'data/path', value: LONG });
  const created = await api.ok('POST', '/logged-models', {
    experiment_id: experimentId,
    name: 'resnet18-sweep',
    model_type: 'pytorch',
    source_run_id: featuredRunId,
  });
  loggedModelId = created.model.info.model_id;
}, 180_000);
afterAll(async () => h?.close());

/** The page never scrolls sideways: long words wrap. */
const fitsViewport = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

const cells = (page: Page, table: string, rowAttr: string) =>
  page
    .locator(`table[aria-label="${table}"] tbody tr[${rowAttr}]`)
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c as HTMLElement).innerText.trim())),
    );

/** MLflow's history of one metric: min and max as the UI formats them (6 significant digits). */
async function range(runId: string, key: string): Promise<[string, string]> {
  const res = await mlflow(h.server).ok('GET', `/metrics/get-history?run_id=${runId}&metric_key=${key}`);
  const values = (res.metrics as { value: number }[]).map((m) => m.value);
  const fmt = (v: number) => String(Number(v.toPrecision(6)));
  return [fmt(Math.min(...values)), fmt(Math.max(...values))];
}

describe('run overview', { timeout: 120_000 }, () => {
  it('shows params, metrics with latest/min/max, tags, parent, models and datasets; one search narrows them', async () => {
    const { page, errors } = await h.open(runPath);
    await eventually(() => page.locator('h1').innerText()).toBe('trial-00/child-0');
    await eventually(() => page.getByTestId('parent-run').innerText()).toBe('trial-00');

    // Params as a tree: `data/path` sits in a `data` folder.
    const paramKeys = () =>
      page
        .locator('table[aria-label="Parameters"] tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    await eventually(paramKeys).toEqual([
      'batch_size',
      'data',
      'data/path',
      'dataset',
      'dropout',
      'lr',
      'optimizer',
      'seed',
      'weight_decay',
    ]);

    const [lossMin, lossMax] = await range(h.seeded.featuredRunId, 'loss');
    await eventually(async () => (await cells(page, 'Metrics', 'data-metric')).find((r) => r[0] === 'loss')).toEqual(
      expect.arrayContaining(['loss', '499', lossMin, lossMax]),
    );
    const metricKeys = async () => (await cells(page, 'Metrics', 'data-metric')).map((r) => r[0]);
    expect(await metricKeys()).toEqual([
      'accuracy',
      'loss',
      'system/cpu_utilization_percentage',
      'system/gpu_0_memory_usage_megabytes',
      'system/gpu_0_utilization_percentage',
      'val/accuracy',
      'val/loss',
    ]);
    const [memMin, memMax] = await range(h.seeded.featuredRunId, 'system/gpu_0_memory_usage_megabytes');
    expect((await cells(page, 'Metrics', 'data-metric')).find((r) => r[0].includes('memory'))?.slice(2)).toEqual([
      '49',
      memMin,
      memMax,
    ]);
    expect(await cells(page, 'Run tags', 'data-tag')).toEqual([['checkpoint', LONG]]);

    // Registered versions made from this run, and the logged model it produced.
    const version = page.locator('table[aria-label="Registered model versions"] tbody tr');
    await eventually(() => version.count()).toBe(1);
    expect(await version.innerText()).toMatch(/^sweep-model v1\s+Production/);
    await eventually(() => page.locator(`tr[data-model-id="${loggedModelId}"]`).innerText()).toMatch(
      /^resnet18-sweep\s+pytorch\s+pending/,
    );

    // The dataset's schema and profile.
    const schema = await page.getByRole('table', { name: 'Schema of imagenet-v3 (9f2c1e7a)' }).innerText();
    expect(schema).toMatch(/image_path\s+string/);
    expect(schema).toMatch(/label\s+long/);
    expect(await page.getByRole('table', { name: 'Profile of imagenet-v3 (9f2c1e7a)' }).innerText()).toMatch(
      /num_rows\s+128000/,
    );

    expect(await fitsViewport(page)).toBe(true);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'run-overview-sweep');

    // One search box narrows params, metrics and tags by key, and lives in the URL.
    await page.getByLabel('Search parameters, metrics and tags').fill('loss');
    await eventually(metricKeys).toEqual(['loss', 'val/loss']);
    await eventually(() => new URL(page.url()).searchParams.get('oq')).toBe('loss');
    expect(await page.locator('table[aria-label="Parameters"]').count()).toBe(0);
    expect(await page.getByText('No parameter matches.').count()).toBe(1);
    expect(await page.getByText('No tag matches.').count()).toBe(1);
    await page.getByLabel('Search parameters, metrics and tags').fill('LR');
    await eventually(paramKeys).toEqual(['lr']);

    // The other tabs that show the long tag and param wrap them too.
    for (const tab of ['params', 'tags']) {
      await page.getByRole('tab', { name: tab === 'params' ? 'Parameters' : 'Tags' }).click();
      await eventually(() => page.getByText(LONG).count()).toBeGreaterThan(0);
      expect(await fitsViewport(page)).toBe(true);
    }
    await page.getByRole('tab', { name: 'Overview' }).click();

    // The version link leads to its page.
    await page.getByRole('link', { name: 'sweep-model v1' }).click();
    await eventually(() => new URL(page.url()).pathname).toBe('/models/sweep-model/versions/1');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('lists a parent run’s children as links, and offers them all in the runs table', async () => {
    const parentId = h.seeded.parentRunIds[0];
    const { page, errors } = await h.open(`/runs/${parentId}`);
    await eventually(() => page.locator('h1').innerText()).toBe('trial-00');
    const children = page.getByRole('list', { name: 'Child runs' }).getByRole('link');
    await eventually(() => children.count()).toBe(9);
    expect((await children.allInnerTexts()).sort()).toEqual(Array.from({ length: 9 }, (_, c) => `trial-00/child-${c}`));
    await page.getByRole('link', { name: 'Show in the runs table' }).click();
    await eventually(() => page.getByTestId('sent-filter').innerText()).toBe(
      `tags.\`mlflow.parentRunId\` = '${parentId}'`,
    );
    await page.getByRole('link', { name: 'trial-00/child-3' }).first().waitFor();
    await page.goBack();
    await eventually(() => page.locator('h1').innerText()).toBe('trial-00');
    await page.getByRole('list', { name: 'Child runs' }).getByRole('link', { name: 'trial-00/child-4' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('trial-00/child-4');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('renders a Markdown artifact sanitized, and wraps a 600-character word in a text preview', async () => {
    const { page, errors } = await h.open(`${runPath}?tab=artifacts&path=README.md`);
    const title = await page.title();
    const rendered = page.getByRole('region', { name: 'Rendered README.md' });
    await eventually(() => rendered.locator('h3').innerText()).toBe('Trial 00, child 0');
    expect(await rendered.locator('strong').innerText()).toBe('1e-5');
    expect(await rendered.getByRole('link', { name: 'report' }).getAttribute('href')).toBe('https://example.com');
    // The raw <img onerror> stays text: no element, no handler run.
    expect(await rendered.locator('img').count()).toBe(0);
    expect(await rendered.innerText()).toContain('<img src=x onerror=');
    expect(await page.evaluate(() => document.querySelectorAll('[onerror]').length)).toBe(0);
    expect(await page.title()).toBe(title);
    await screenshot(page, 'run-artifact-markdown');
    await page.getByLabel('Show source').check();
    await eventually(() => page.locator('.preview pre').innerText()).toMatch(/^# Trial 00, child 0/);

    await page.getByRole('button', { name: /^notes\.txt/ }).click();
    await eventually(() => page.locator('.preview pre').innerText()).toMatch(/^checkpoint:a{600}/);
    expect(await fitsViewport(page)).toBe(true);
    // The word wraps inside the preview rather than scrolling it sideways.
    expect(await page.locator('.preview pre').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await page.title()).toBe(title);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('experiment description', { timeout: 120_000 }, () => {
  it('renders the experiment’s Markdown description, folds a long one, and edits it', async () => {
    const { page, errors } = await h.open(`/experiments/${h.seeded.experimentId}`);
    const description = page.getByRole('region', { name: 'Experiment description' });
    await eventually(() => description.locator('h4').innerText()).toBe('LR sweep');
    expect(await description.locator('strong').innerText()).toBe('ResNet-18');
    expect(await description.locator('code').innerText()).toBe('README.md');
    // Short: nothing to fold.
    expect(await page.getByRole('button', { name: 'Show more' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Edit experiment description' }).click();
    const long = `${h.seeded.description}\n\n${Array.from({ length: 12 }, (_, i) => `- finding ${i}`).join('\n')}\n\nLast line.`;
    await page.getByLabel('Experiment description (Markdown)').fill(long);
    await page.getByRole('button', { name: 'Save description' }).click();
    await eventually(() => description.locator('li').count()).toBe(12);
    const more = page.getByRole('button', { name: 'Show more' });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    const folded = () => description.evaluate((el) => (el.parentElement as HTMLElement).getBoundingClientRect().height);
    const foldedHeight = await folded();
    await more.click();
    expect(await page.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true');
    expect(await folded()).toBeGreaterThan(foldedHeight);
    const tags = await mlflow(h.server).ok('GET', `/experiments/get?experiment_id=${h.seeded.experimentId}`);
    expect(tags.experiment.tags.find((t: { key: string }) => t.key === 'mlflow.note.content').value).toBe(long);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('comments', { timeout: 120_000 }, () => {
  it('render as sanitized Markdown', async () => {
    const { page, errors } = await h.open(`/models/${h.seeded.modelName}/versions/2`);
    const title = await page.title();
    const field = page.getByLabel('Acting as');
    await field.fill('alice');
    await field.press('Enter');
    await page
      .getByLabel('New comment')
      .fill(
        '**Approved** after `val/loss` check.\n\n<img src=x onerror="document.title=\'pwned\'">\n\n[js](javascript:alert(1))',
      );
    await page.getByRole('button', { name: 'Post comment' }).click();
    const body = page.locator('.comment-body').last();
    await eventually(() => body.locator('strong').innerText()).toBe('Approved');
    expect(await body.locator('code').innerText()).toBe('val/loss');
    expect(await body.locator('img').count()).toBe(0);
    // A javascript: link keeps its text but loses its target.
    expect(await body.locator('a').count()).toBe(0);
    expect(await body.innerText()).toContain('js');
    expect(await page.title()).toBe(title);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
