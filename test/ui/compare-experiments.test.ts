// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { eventually, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';

let h: UiHarness;
beforeAll(async () => {
  h = await startUiHarness();
}, 120_000);
afterAll(async () => h?.close());

describe('experiments list: multi-select compare', { timeout: 90_000 }, () => {
  it('selects two experiments, lists their runs together, and opens picked runs on the compare page', async () => {
    const { page, errors } = await h.open('/experiments');
    await page.getByLabel('Select image-classifier to compare').check();
    await page.getByLabel('Select text-sentiment to compare').check();
    expect(new URL(page.url()).searchParams.getAll('sel').sort()).toEqual(
      [h.seeded.experimentId, h.seeded.otherExperimentId].sort(),
    );
    await page.getByRole('link', { name: 'Compare 2 experiments' }).click();

    await eventually(() => page.locator('h1').innerText()).toBe('Runs of 2 experiments');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/compare-experiments');
    expect(url.searchParams.getAll('exp').sort()).toEqual([h.seeded.experimentId, h.seeded.otherExperimentId].sort());
    const table = page.getByRole('table', { name: 'Runs of the compared experiments' });
    const row = (name: string) => table.locator('tbody tr', { has: page.getByRole('link', { name, exact: true }) });
    // Runs of both experiments, each with its experiment's name.
    await eventually(() => row('bert-base').locator('td').nth(2).innerText()).toBe('text-sentiment');
    expect(await row('baseline-resnet').locator('td').nth(2).innerText()).toBe('image-classifier');
    // The first page is the 100 newest runs; more load on demand.
    expect(await table.locator('tbody tr').count()).toBe(100);
    expect(await unlabelledControls(page)).toEqual([]);

    // The filter grammar applies across experiments.
    await page.getByLabel('Filter runs').fill("attributes.run_name LIKE 'b%'");
    await eventually(async () => (await table.locator('tbody tr a').allInnerTexts()).sort()).toEqual([
      'baseline-resnet',
      'bert-base',
    ]);

    await page.getByLabel('Select bert-base').check();
    await page.getByLabel('Select baseline-resnet').check();
    await screenshot(page, 'compare-experiments');
    await page.getByRole('link', { name: 'Compare 2 selected runs' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('Compare 2 runs');
    expect(new URL(page.url()).pathname).toBe('/compare');
    expect(new URL(page.url()).searchParams.getAll('runs').length).toBe(2);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
