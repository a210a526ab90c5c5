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
    const { page, errors } = await h.open(
      `/compare?runs=${seeded.baselineRunId}&runs=${seeded.childRunId}&runs=${sgdRun}&exp=${seeded.experimentId}`,
    );
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

    await page.getByLabel('Add metric').selectOption('accuracy');
    await eventually(() => page.locator('.chart-card[data-metric="accuracy"] canvas').count()).toBe(1);
    expect(new URL(page.url()).searchParams.getAll('metric')).toEqual(['loss', 'accuracy']);

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

describe('compare page with many runs', { timeout: 90_000 }, () => {
  /** The seed's lr for sweep run `i` (test/ui/support/seed.ts). */
  const sweepLr = (i: number) => [0.1, 0.03, 0.01, 0.003][i % 4];

  it('renders only the run columns in view, and scrolling sideways reveals the far runs with diffs and baseline', async () => {
    // 40 adam runs (every third sweep run uses sgd): their optimizer params agree, lr does not.
    const picked = Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 3 !== 0);
    const ids = picked.map((i) => h.seeded.sweepRunIds[i]);
    const { page, errors } = await h.open(
      `/compare?${ids.map((id) => `runs=${id}`).join('&')}&exp=${h.seeded.experimentId}`,
    );
    await eventually(() => page.locator('h1').innerText()).toBe('Compare 40 runs');
    const table = page.locator('table[aria-label="Run comparison"]');
    const row = (key: string) => table.locator(`tr[data-key="${key}"]`);
    const colIndices = () =>
      table
        .locator('thead th[aria-colindex]')
        .evaluateAll((ths) => ths.map((th) => Number(th.getAttribute('aria-colindex'))));
    await eventually(() => row('lr').count()).toBe(1);
    expect(await table.getAttribute('aria-colcount')).toBe('41');
    // A window of columns from the first run on, far fewer than 40; the last run is not rendered yet.
    const first = await colIndices();
    expect(first.slice(0, 3)).toEqual([1, 2, 3]);
    expect(first.length).toBeLessThan(20);
    expect(await row('lr').locator('td[aria-colindex]').count()).toBe(first.length - 1);
    expect(await table.getByRole('link', { name: 'sweep-059', exact: true }).count()).toBe(0);

    // The keyboard scrolls the focusable region sideways.
    const region = page.getByRole('region', { name: /^Run comparison, 40 runs/ });
    await region.focus();
    await page.keyboard.press('ArrowRight');
    await eventually(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);

    // Scrolled to the far end: the last run's column with its values; the first run's is gone.
    await region.evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await eventually(() => table.getByRole('link', { name: 'sweep-059', exact: true }).count()).toBe(1);
    expect(await table.locator('thead th[aria-colindex="2"]').count()).toBe(0);
    expect((await colIndices()).at(-1)).toBe(41);
    expect(await row('lr').locator('td[aria-colindex="41"]').innerText()).toBe(String(sweepLr(59)));
    // Row keys stay in view beside the far columns.
    expect(await row('lr').locator('th').isVisible()).toBe(true);

    // Only differences: the agreeing optimizer rows go, lr stays with the far run's value.
    expect(await row('optimizer/name').getAttribute('data-differs')).toBe('false');
    await page.getByLabel('Show only differences').check();
    await eventually(() => row('optimizer/name').count()).toBe(0);
    expect(await row('optimizer/adam/beta1').count()).toBe(0);
    expect(await row('lr').locator('td[aria-colindex="41"]').innerText()).toBe(String(sweepLr(59)));

    // The far run as baseline: every rendered lr cell is marked exactly when it differs from it.
    await page.getByLabel('Baseline run').selectOption({ label: 'sweep-059' });
    await eventually(() => table.locator('thead th[data-baseline]').innerText()).toContain('sweep-059');
    expect(await table.locator('thead th[data-baseline]').getAttribute('aria-colindex')).toBe('41');
    const marks = () =>
      row('lr')
        .locator('td[aria-colindex]')
        .evaluateAll((tds) =>
          tds.map(
            (td) => [Number(td.getAttribute('aria-colindex')) - 2, td.getAttribute('data-changed') === 'true'] as const,
          ),
        );
    const expected = (cells: (readonly [number, boolean])[]) =>
      cells.map(([j]) => [j, sweepLr(picked[j]) !== sweepLr(59)] as const);
    await eventually(async () => {
      const cells = await marks();
      return cells.length > 3 && JSON.stringify(cells) === JSON.stringify(expected(cells));
    }).toBe(true);
    expect(await row('lr').locator('td[aria-colindex="41"]').getAttribute('data-changed')).toBeNull();
    // Back at the start, the first runs' cells carry their difference to the far baseline.
    await region.evaluate((el) => {
      el.scrollLeft = 0;
    });
    await eventually(() => table.locator('thead th[aria-colindex="2"]').count()).toBe(1);
    const firstLr = row('lr').locator('td[aria-colindex="2"]');
    expect(await firstLr.getAttribute('data-changed')).toBe('true'); // sweep-001: lr 0.03 against 0.003
    expect(await firstLr.locator('.delta').innerText()).toBe('+0.027');
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
    expect(await versions.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-version')))).toEqual([
      '3',
      '2',
      '1',
    ]);
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
