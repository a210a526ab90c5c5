import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, runNames, startSweepHarness, type UiHarness } from './support/harness.ts';
import type { SweepSeeded } from './support/sweep-seed.ts';

let ui: UiHarness<SweepSeeded>;

beforeAll(async () => {
  ui = await startSweepHarness();
}, 180_000);
afterAll(async () => ui?.close());

describe('global search finds metric and param keys', { timeout: 120_000 }, () => {
  it('lists "metric val/loss — in lr-sweep" and opens the experiment with that column, sorted', async () => {
    const { page, errors } = await ui.open('/experiments');
    await page.locator('body').press('/');
    await page.keyboard.type('val/loss');
    const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
    await eventually(() => options.allInnerTexts()).toEqual([
      expect.stringMatching(/Metric\s+val\/loss — in lr-sweep/),
    ]);

    await page.keyboard.press('Enter');
    await eventually(() => new URL(page.url()).pathname).toBe(`/experiments/${ui.seeded.experimentId}`);
    const params = new URL(page.url()).searchParams;
    expect(params.getAll('col')).toEqual(['metrics.val/loss']);
    expect(params.getAll('sort')).toEqual(['metrics.val/loss:asc']);
    await eventually(async () => (await runNames(page)).length).toBeGreaterThan(0);
    await eventually(() => page.locator('table[aria-label="Runs"] thead').innerText()).toContain('loss');

    // Params too, with a click.
    await page.locator('body').press('/');
    await page.keyboard.type('weight_dec');
    await eventually(() => options.allInnerTexts()).toEqual([
      expect.stringMatching(/Param\s+weight_decay — in lr-sweep/),
    ]);
    await options.first().click();
    await eventually(() => new URL(page.url()).searchParams.getAll('sort')).toEqual(['params.weight_decay:asc']);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
