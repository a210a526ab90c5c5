// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, screenshot } from './support/browser.ts';
import { eventually, runNames, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';
import { SWEEP_RUNS } from './support/seed.ts';

let h: UiHarness;
beforeAll(async () => {
  h = await startUiHarness();
}, 120_000);
afterAll(async () => h?.close());

describe('experiments list', { timeout: 90_000 }, () => {
  it('lists experiments, searches by name and sorts', async () => {
    const { page, errors } = await h.open('/');
    const rows = page.locator('table[aria-label="Experiments"] tbody tr');
    await eventually(() => rows.count()).toBe(4);
    expect(await rows.first().innerText()).toContain('Default');
    await screenshot(page, 'experiments');

    await page.getByLabel('Search experiments by name').fill('class');
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('image-classifier');
    expect(new URL(page.url()).searchParams.get('q')).toBe('class');

    await page.getByLabel('Search experiments by name').fill('');
    await eventually(() => rows.count()).toBe(4);
    await page.getByRole('button', { name: 'Sort by Name' }).click();
    await eventually(async () => (await rows.first().innerText()).split('\t')[0]).toBe('text-sentiment');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('runs table', { timeout: 90_000 }, () => {
  it('shows the newest runs first, virtualized, and loads further pages on scroll', async () => {
    const { page, errors } = await h.open('/experiments');
    await page.getByRole('link', { name: 'image-classifier' }).click();
    await eventually(() => runNames(page)).toContain('baseline-resnet');
    const names = await runNames(page);
    expect(names.slice(0, 3)).toEqual(['finetune-child', 'baseline-resnet', 'sweep-119']);
    // The first page is 100 runs; only the rows in view are in the DOM.
    await eventually(() => page.getByRole('status').filter({ hasText: 'runs' }).innerText()).toBe('100+ runs');
    expect(names.length).toBeLessThan(60);
    expect(await page.locator('th', { hasText: 'loss' }).count()).toBeGreaterThan(0);
    await screenshot(page, 'runs');

    // Scrolling to the end fetches the next page (next_page_token).
    const grid = page.locator('.grid-scroll');
    await grid.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await eventually(() => page.getByRole('status').filter({ hasText: 'runs' }).innerText()).toBe(
      `${SWEEP_RUNS + 2} runs`,
    );
    await grid.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await eventually(async () => (await runNames(page)).at(-1)).toBe('sweep-000');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('sorts on the server when a header is clicked', async () => {
    const { page } = await h.open(`/experiments/${h.seeded.experimentId}`);
    await eventually(() => runNames(page)).toContain('sweep-119');
    await page.getByRole('button', { name: 'Sort by metrics.loss' }).click();
    await eventually(() => new URL(page.url()).searchParams.get('sort')).toBe('metrics.loss:desc');
    // sweep-027 has the highest loss (1.19); the child run the lowest (≈ 0.153).
    await eventually(async () => (await runNames(page))[0]).toBe('sweep-027');
    await page.getByRole('button', { name: 'Sort by metrics.loss' }).click();
    await eventually(async () => (await runNames(page))[0]).toBe('finetune-child');
    expect(await page.locator('th[aria-sort="ascending"]').innerText()).toContain('loss');
    await page.context().close();
  });

  it('narrows with the filter grammar, OR and parentheses included, and shows server errors', async () => {
    const { page } = await h.open(`/experiments/${h.seeded.experimentId}`);
    const filter = page.getByLabel('Filter runs (MLflow syntax; OR and parentheses allowed)');
    const status = page.getByRole('status').filter({ hasText: 'runs' });
    await eventually(() => status.innerText()).toBe('100+ runs');

    await filter.fill("params.`optimizer/name` = 'sgd'");
    await filter.press('Enter');
    await eventually(() => status.innerText()).toBe('40 runs');
    expect(new Set((await runNames(page)).map((n) => n.slice(0, 6)))).toEqual(new Set(['sweep-']));

    await filter.fill("params.`optimizer/name` = 'sgd' OR attributes.run_name = 'baseline-resnet'");
    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually(() => status.innerText()).toBe('41 runs');
    expect(await runNames(page)).toContain('baseline-resnet');

    // A UI control combines with the typed text: the OR expression gets parentheses.
    await page.getByLabel('Status', { exact: true }).selectOption('FAILED');
    await expect
      .poll(() => page.getByTestId('sent-filter').innerText())
      .toBe(
        "(params.`optimizer/name` = 'sgd' OR attributes.run_name = 'baseline-resnet') AND attributes.status = 'FAILED'",
      );
    await eventually(() => status.innerText()).toMatch(/^\d+ runs$/);
    const failed = Number((await status.innerText()).split(' ')[0]);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(41);
    await screenshot(page, 'runs-filtered');

    await filter.fill('metrics.loss <');
    await filter.press('Enter');
    const alert = page.getByRole('alert');
    await eventually(() => alert.innerText()).toContain('INVALID_PARAMETER_VALUE');
    await page.context().close();
  });

  it('chooses columns, selects runs and opens the compare page', async () => {
    const { page } = await h.open(`/experiments/${h.seeded.experimentId}`);
    await eventually(() => runNames(page)).toContain('baseline-resnet');
    await page.getByText(/^Columns \(/).click();
    await page.getByRole('checkbox', { name: 'team' }).check();
    await eventually(() => new URL(page.url()).searchParams.getAll('col')).toContain('tags.team');
    // Columns are virtualized: the tags come last, so scroll right to bring the new one into view.
    await page.locator('.grid-scroll').evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await eventually(() => page.locator('thead th', { hasText: /^team$/ }).count()).toBe(1);
    await page.keyboard.press('Escape');

    await page.getByRole('checkbox', { name: 'Select run baseline-resnet' }).check();
    await page.getByRole('checkbox', { name: 'Select run finetune-child' }).check();
    await eventually(() => new URL(page.url()).searchParams.getAll('sel').length).toBe(2);
    await page.getByRole('button', { name: 'Compare (2)' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('Compare 2 runs');
    expect(new URL(page.url()).pathname).toBe('/compare');
    // Back returns to the table with the selection still in the URL.
    await page.goBack();
    await eventually(() => page.getByRole('checkbox', { name: 'Select run baseline-resnet' }).isChecked()).toBe(true);
    await page.context().close();
  });

  it('is keyboard reachable: Tab reaches the filter, Enter applies it', async () => {
    const { page } = await h.open(`/experiments/${h.seeded.experimentId}`);
    await eventually(() => runNames(page)).toContain('baseline-resnet');
    let focused = '';
    for (let i = 0; i < 24 && focused !== 'filter'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() =>
        document.activeElement?.closest('search form') ? 'filter' : (document.activeElement?.tagName ?? ''),
      );
    }
    expect(focused).toBe('filter');
    await page.keyboard.type("attributes.run_name = 'sweep-005'");
    await page.keyboard.press('Enter');
    await eventually(() => runNames(page)).toEqual(['sweep-005']);
    await page.context().close();
  });
});

describe('shell', { timeout: 90_000 }, () => {
  it('remembers the dark theme across reloads', async () => {
    const { page } = await h.open('/models');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.goto(`/experiments/${h.seeded.experimentId}`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await eventually(() => runNames(page)).toContain('baseline-resnet');
    await screenshot(page, 'runs-dark');
    await page.context().close();
  });

  it('keeps the entry chunk small: chart code loads later', async () => {
    const html = await (await fetch(h.server.url)).text();
    const entries = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((m) => m[1]);
    expect(entries).toHaveLength(1);
    const head = await fetch(h.server.url + entries[0], { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
    expect(head.headers.get('content-encoding')).toBe('gzip');
    const gzipBytes = Number(head.headers.get('content-length'));
    expect(gzipBytes).toBeGreaterThan(10_000);
    expect(gzipBytes).toBeLessThan(110 * 1024);
    expect(await (await fetch(h.server.url + entries[0])).text()).not.toContain('u-over'); // a class name inside uPlot's code
  });

  it('starts a page’s first requests from the URL once: the page reuses them instead of asking again', async () => {
    const { page, errors } = await newPage(h.browser, h.server.url);
    const calls: string[] = [];
    const chartUrls: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (/\/(runs\/search|runs\/get|experiments\/get|metrics\/chart|experiments\/\d+\/keys)$/.test(path))
        calls.push(path.replace(/^.*(mlflow|v1)\//, '').replace(/\/\d+\//, '/'));
      if (path.endsWith('/metrics/chart')) chartUrls.push(r.url());
    });
    const { experimentId, baselineRunId, childRunId } = h.seeded;
    // Filter and sort come from the URL: the prefetch must build the same search the page does.
    await page.goto(`/experiments/${experimentId}?name=resnet&status=FINISHED&sort=metrics.accuracy:desc`);
    await eventually(() => runNames(page)).toEqual(['baseline-resnet']);
    await eventually(() => page.locator('h1').innerText()).toBe('image-classifier');
    // Charts show by default: one request per charted metric, none twice.
    await eventually(() => page.locator('.chart-card[data-metric] canvas').count()).toBeGreaterThan(0);
    expect(calls.filter((c) => c !== 'metrics/chart').sort()).toEqual([
      'experiments/get',
      'experiments/keys',
      'runs/search',
    ]);
    expect(new Set(chartUrls).size).toBe(chartUrls.length);
    chartUrls.length = 0;

    // A plain link: index.html itself starts the runs search (and who is signed in); the page adopts both.
    calls.length = 0;
    let me = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/trove/v1/auth/me') me++;
    });
    await page.goto(`/experiments/${experimentId}`);
    await eventually(() => page.locator('table[aria-label="Runs"] tbody tr[data-run-id]').count()).toBeGreaterThan(1);
    await eventually(() => page.locator('.chart-card[data-metric] canvas').count()).toBeGreaterThan(0);
    expect(calls.filter((c) => c !== 'metrics/chart').sort()).toEqual([
      'experiments/get',
      'experiments/keys',
      'runs/search',
    ]);
    expect(me).toBe(1);

    calls.length = 0;
    // The URL names the metric: its chart data is requested with the runs, once.
    await page.goto(`/compare?runs=${baselineRunId}&runs=${childRunId}&exp=${experimentId}&metric=loss`);
    await eventually(() => page.locator('.chart-card[data-metric="loss"] canvas').count()).toBe(1);
    expect(calls.sort()).toEqual(['experiments/get', 'metrics/chart', 'runs/search']);
    // That one search was index.html's, adopted by the page (taken from the list it started).
    expect(
      await page.evaluate(
        () => (window as unknown as { __troveEarly: { requests?: unknown[] } }).__troveEarly.requests,
      ),
    ).toEqual([]);

    calls.length = 0;
    await page.goto(`/experiments/${experimentId}/runs/${baselineRunId}?tab=charts&m=loss`);
    await eventually(() => page.locator('.chart-card[data-metric="loss"] canvas').count()).toBe(1);
    expect(calls.sort()).toEqual(['experiments/get', 'metrics/chart', 'runs/get']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('paints the compare table before it builds the many-run charts below it, then builds them in page order', async () => {
    const { page, errors } = await newPage(h.browser, h.server.url);
    // Frames painted so far, and how many had been when the table's rows and the many-run charts
    // entered the page (a mutation observer's callback runs right after React's commit).
    await page.addInitScript(() => {
      const w = window as unknown as { __frames: number; __seen: Record<string, number> };
      w.__frames = 0;
      w.__seen = {};
      const tick = () => {
        w.__frames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      new MutationObserver(() => {
        if (w.__seen.table === undefined && document.querySelector('table[aria-label="Run comparison"] tr[data-key]'))
          w.__seen.table = w.__frames;
        if (w.__seen.parallel === undefined && document.querySelector('[data-chart="parallel"]'))
          w.__seen.parallel = w.__frames;
        if (w.__seen.scatter === undefined && document.querySelector('[data-chart="scatter"]'))
          w.__seen.scatter = w.__frames;
      }).observe(document, { childList: true, subtree: true });
    });
    const { experimentId, baselineRunId, childRunId } = h.seeded;
    await page.goto(`/compare?runs=${baselineRunId}&runs=${childRunId}&exp=${experimentId}`);
    await eventually(() => page.locator('svg.parallel path.pc-line').count()).toBe(2);
    const seen = await page.evaluate(() => (window as unknown as { __seen: Record<string, number> }).__seen);
    expect(seen.parallel).toBeGreaterThan(seen.table);
    // The charts further down (scatter, contour, box plot) come a paint after the first ones.
    await eventually(() => page.locator('[data-chart="scatter"]').count()).toBe(1);
    const later = await page.evaluate(() => (window as unknown as { __seen: Record<string, number> }).__seen);
    expect(later.scatter).toBeGreaterThan(later.parallel);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('says so when a page’s code cannot be loaded, and the rest of the app keeps working', async () => {
    const { page } = await newPage(h.browser, h.server.url);
    await page.route(/\/assets\/ComparePage-[^/]*\.js$/, (route) => route.abort());
    await page.goto(`/compare?runs=${h.seeded.baselineRunId}&runs=${h.seeded.childRunId}`);
    await eventually(() => page.getByRole('alert').innerText()).toContain('Could not load this part of the page');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
    await eventually(() => page.locator('table[aria-label="Registered models"] tbody tr').count()).toBe(2);
    await page.goto('/no/such/page');
    await eventually(() => page.locator('h1').innerText()).toBe('Page not found');
    await page.context().close();
  });

  it('serves client routes and MLflow hash links, but keeps JSON 404s for the API', async () => {
    const html = await fetch(
      `${h.server.url}/experiments/${h.seeded.experimentId}/runs/${h.seeded.baselineRunId}?tab=charts`,
    );
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    for (const path of ['/api/2.0/mlflow/nope', '/ajax-api/2.0/mlflow/nope', '/w/default/nope', '/assets/missing.js']) {
      const res = await fetch(h.server.url + path);
      expect(res.status, path).toBe(404);
      expect((await res.json()).error_code, path).toBe('ENDPOINT_NOT_FOUND');
    }
    const { page } = await h.open(`/#/experiments/${h.seeded.experimentId}/runs/${h.seeded.baselineRunId}`);
    await eventually(() => page.locator('h1').innerText()).toBe('baseline-resnet');
    expect(new URL(page.url()).pathname).toBe(`/experiments/${h.seeded.experimentId}/runs/${h.seeded.baselineRunId}`);
    await page.context().close();
  });
});
