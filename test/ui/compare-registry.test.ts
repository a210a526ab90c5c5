// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasHasInk, screenshot } from './support/browser.ts';
import { eventually, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';

let h: UiHarness;
beforeAll(async () => {
  h = await startUiHarness();
}, 120_000);
afterAll(async () => h?.close());

describe('compare page', { timeout: 90_000 }, () => {
  it('puts runs side by side, highlights differences and overlays a metric', async () => {
    const { seeded } = h;
    const sgdRun = seeded.sweepRunIds[3];
    const { page, errors } = await h.open(`/compare?runs=${seeded.baselineRunId}&runs=${seeded.childRunId}&runs=${sgdRun}&exp=${seeded.experimentId}`);
    await eventually(() => page.locator('h1').innerText()).toBe('Compare 3 runs');
    const param = (key: string) => page.locator(`table[aria-label="Run comparison"] tr[data-key="${key}"]`).first();
    await eventually(() => param('lr').getAttribute('data-differs')).toBe('true');
    expect(await param('lr').getAttribute('class')).toContain('differs');
    expect(await param('lr').innerText()).toMatch(/0\.01\s+0\.001\s+0\.003/);
    // Colour is not the only cue: the row says so to screen readers.
    expect(await param('lr').locator('th').innerText()).toContain('(differs)');
    expect(await page.locator('thead').innerText()).toMatch(/baseline-resnet[\s\S]*finetune-child[\s\S]*sweep-003/);

    // The overlaid chart defaults to the metric all three runs have (loss) and draws them all.
    const chart = page.locator('.chart-card[data-metric="loss"]');
    await eventually(() => chart.locator('canvas').count()).toBe(1);
    await eventually(() => canvasHasInk(page, '.chart-card[data-metric="loss"] canvas')).toBe(true);
    expect(await chart.locator('.legend').innerText()).toMatch(/baseline-resnet[\s\S]*finetune-child[\s\S]*sweep-003/);
    await screenshot(page, 'compare');

    await page.getByLabel('Metric', { exact: true }).selectOption('accuracy');
    await eventually(() => page.locator('.chart-card[data-metric="accuracy"] canvas').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('metric')).toBe('accuracy');

    // Same batch size in the baseline and the child, not in the sgd run; compare two that agree.
    await page.goto(`/compare?runs=${seeded.baselineRunId}&runs=${seeded.childRunId}`);
    await eventually(() => param('batch_size').getAttribute('data-differs')).toBe('false');
    await page.getByLabel('Show only differences').check();
    await eventually(() => param('batch_size').count()).toBe(0);
    expect(await param('lr').count()).toBe(1);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('registry pages', { timeout: 90_000 }, () => {
  it('lists registered models with versions, stages and aliases, searchable by name', async () => {
    const { page, errors } = await h.open('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
    const rows = page.locator('table[aria-label="Registered models"] tbody tr');
    await eventually(() => rows.count()).toBe(2);
    const resnet = rows.filter({ hasText: 'resnet-classifier' });
    expect(await resnet.innerText()).toContain('v2 · Production');
    expect(await resnet.innerText()).toContain('v3 · Staging');
    expect(await resnet.innerText()).toContain('@champion → v2');
    await screenshot(page, 'models');
    await page.getByLabel('Search models by name').fill('churn');
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.innerText()).toContain('churn-model');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a model: description, aliases, tags and every version with stage, aliases and source run', async () => {
    const { page, errors } = await h.open('/models');
    await page.getByRole('link', { name: 'resnet-classifier' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('resnet-classifier');
    const versions = page.locator('table[aria-label="Model versions"] tbody tr');
    await eventually(() => versions.count()).toBe(3);
    expect(await versions.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-version')))).toEqual(['3', '2', '1']);
    expect(await versions.nth(1).innerText()).toMatch(/v2\s+Production\s+@champion/);
    expect(await versions.nth(0).innerText()).toMatch(/v3\s+Staging\s+@challenger/);
    expect(await page.getByText('Image classifier for the product catalogue.').count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Model tags' }).innerText()).toContain('vision-team');
    await screenshot(page, 'model');
    // A version links to the run that produced it.
    await versions.nth(2).locator('td:nth-child(5) a').click();
    await eventually(() => page.locator('h1').innerText()).toBe('baseline-resnet');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
