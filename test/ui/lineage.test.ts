// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LineageGraphIds, seedLineageGraph } from '../support/lineage-seed.ts';
import { mlflow, startServer, type TestServer } from '../support/server.ts';
import { launchBrowser, newPage, screenshot } from './support/browser.ts';
import { ensureUiBuilt } from './support/build.ts';
import { eventually } from './support/harness.ts';

let server: TestServer;
let browser: Browser;
let ids: LineageGraphIds;

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer();
  ids = await seedLineageGraph(server.call);
  // What the version page's history reads: the sweep children's params, metrics and commits.
  const api = mlflow(server);
  for (const [i, run] of ids.children.entries())
    await api.ok('POST', '/runs/log-batch', {
      run_id: run,
      params: [{ key: 'lr', value: String(0.1 * (i + 1)) }],
      metrics: [{ key: 'val/loss', value: 0.3 - i / 10, timestamp: 1, step: 0 }],
      tags: [{ key: 'mlflow.source.git.commit', value: `c0ffee${i}` }],
    });
  browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const open = async (path: string) => {
  const opened = await newPage(browser, server.url);
  await opened.page.goto(path);
  return opened;
};

const ready = (page: Page) => page.locator('[data-testid="lineage-ready"][data-render-ms]').waitFor();

/** The node boxes on screen, by node id. */
async function boxes(page: Page) {
  return page.$$eval('g[data-node-id]', (gs) =>
    gs.map((g) => {
      const r = (g.querySelector('rect') as SVGRectElement).getBoundingClientRect();
      return { id: g.getAttribute('data-node-id') as string, x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
}

const node = (page: Page, id: string) => page.locator(`g[data-node-id="${id}"]`);

describe('lineage page', { timeout: 120_000 }, () => {
  it('lays the graph out left to right without overlapping boxes, edges between drawn nodes', async () => {
    const { page, errors } = await open(`/lineage?node=${encodeURIComponent('model_version:churn/1')}&depth=4`);
    await ready(page);
    const drawn = await boxes(page);
    const at = new Map(drawn.map((b) => [b.id, b]));
    const run = (id: string) => `run:${id}`;
    for (const id of [
      ids.train,
      run(ids.sweep),
      run(ids.children[0]),
      `logged_model:${ids.loggedModel}`,
      'model_version:churn/1',
      'alias:churn@champion',
      'stage:churn/Production',
      `deployment:${ids.deploymentId}`,
    ])
      expect(at.has(id), id).toBe(true);
    for (const [i, a] of drawn.entries())
      for (const b of drawn.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    // Along the flow of data: dataset → run → version → deployment.
    const x = (id: string) => at.get(id)?.x as number;
    expect(x(ids.train)).toBeLessThan(x(run(ids.sweep)));
    expect(x(run(ids.sweep))).toBeLessThan(x(run(ids.children[0])));
    expect(x(run(ids.children[0]))).toBeLessThan(x('model_version:churn/1'));
    expect(x('model_version:churn/1')).toBeLessThan(x(`deployment:${ids.deploymentId}`));
    const edges = await page.$$eval('path.lineage-edge', (ps) =>
      ps.map((p) => [p.getAttribute('data-from'), p.getAttribute('data-to')]),
    );
    expect(edges.length).toBeGreaterThan(5);
    for (const [from, to] of edges) {
      expect(at.has(from as string)).toBe(true);
      expect(at.has(to as string)).toBe(true);
    }
    expect(edges).toContainEqual(['model_version:churn/1', `deployment:${ids.deploymentId}`]);
    await screenshot(page, 'lineage');
    expect(errors).toEqual([]);
  });

  it('selects a node on click and goes to its run page from the side panel', async () => {
    const { page } = await open(`/lineage?node=${encodeURIComponent('model_version:churn/1')}&depth=4`);
    await ready(page);
    await node(page, `run:${ids.children[0]}`).click();
    const panel = page.getByRole('complementary', { name: 'Selected node' });
    await eventually(() => panel.locator('h2').innerText()).toBe('trial-1');
    expect(new URL(page.url()).searchParams.get('sel')).toBe(`run:${ids.children[0]}`);
    await panel.getByRole('link', { name: 'Open run' }).click();
    await eventually(() => new URL(page.url()).pathname).toBe(
      `/experiments/${ids.experimentId}/runs/${ids.children[0]}`,
    );
    await eventually(() => page.locator('h1').innerText()).toBe('trial-1');
  });

  it('re-roots the graph on double click', async () => {
    const graphIds = async (root: string) => {
      const res = await server.call('GET', `/api/trove/v1/lineage?node=${encodeURIComponent(root)}&depth=1`);
      return (res.body.nodes as { id: string }[]).map((n) => n.id).sort();
    };
    const drawnIds = async (page: Page) => (await boxes(page)).map((b) => b.id).sort();
    const lm = `logged_model:${ids.loggedModel}`;
    const before = await graphIds('model_version:churn/1');
    const after = await graphIds(lm);
    expect(after.filter((id) => !before.includes(id)).length).toBeGreaterThan(0);
    const { page } = await open(`/lineage?node=${encodeURIComponent('model_version:churn/1')}&depth=1`);
    await ready(page);
    await eventually(() => drawnIds(page)).toEqual(before);
    await node(page, lm).dblclick();
    await eventually(() => new URL(page.url()).searchParams.get('node')).toBe(lm);
    await eventually(() => node(page, lm).getAttribute('class')).toContain('root');
    await eventually(() => drawnIds(page)).toEqual(after);
    await page.goBack();
    await eventually(() => node(page, 'model_version:churn/1').getAttribute('class')).toContain('root');
    await eventually(() => drawnIds(page)).toEqual(before);
  });

  it("highlights exactly the path's nodes between a dataset and a deployment", async () => {
    const { page } = await open(`/lineage?node=${encodeURIComponent('model_version:churn/1')}&depth=4`);
    await ready(page);
    await page.getByLabel('Path from').selectOption(ids.train);
    await page.getByLabel('Path to').selectOption(`deployment:${ids.deploymentId}`);
    const onPath = () =>
      page.$$eval('g[data-on-path="true"]', (gs) => gs.map((g) => g.getAttribute('data-node-id') as string).sort());
    await eventually(onPath).toEqual(
      [
        ids.train,
        `run:${ids.sweep}`,
        `run:${ids.children[0]}`,
        `logged_model:${ids.loggedModel}`,
        'model_version:churn/1',
        `deployment:${ids.deploymentId}`,
      ].sort(),
    );
    // Off the path: dimmed.
    expect(await node(page, ids.evaluation).getAttribute('data-on-path')).toBe('false');
    expect(await node(page, 'alias:churn@champion').getAttribute('class')).toContain('dim');
    await screenshot(page, 'lineage-path');
  });

  it('links from the run and version pages', async () => {
    const { page } = await open(`/runs/${ids.children[1]}`);
    await page.getByTestId('lineage-link').click();
    await eventually(() => new URL(page.url()).searchParams.get('node')).toBe(`run:${ids.children[1]}`);
    await ready(page);
    expect(await node(page, 'model_version:churn/2').count()).toBe(1);
  });
});

describe('version page: how this version was made', { timeout: 120_000 }, () => {
  it('shows the run, its rank in the sweep with the dot plot, and the changes since v1', async () => {
    const { page, errors } = await open('/models/churn/versions/2');
    const history = page.getByRole('region', { name: 'How this version was made' });
    await eventually(() => history.getByTestId('sweep-rank').innerText()).toBe('1st of 2 on val/loss');
    await expect(history.getByTestId('history-run').innerText()).resolves.toContain('trial-2');
    expect(await history.locator('.sweep-dot.self').getAttribute('data-run-id')).toBe(ids.children[1]);
    expect(await history.locator('.sweep-dot:not(.self)').getAttribute('data-run-id')).toBe(ids.children[0]);
    const changes = history.getByRole('table', { name: 'Changes since v1' });
    const lr = changes.locator('tr[data-what="param"]', { hasText: 'lr' });
    await expect(lr.innerText()).resolves.toMatch(/0\.1\s+0\.2/);
    await expect(changes.locator('tr[data-what="code"]').innerText()).resolves.toMatch(/c0ffee0\s+c0ffee1/);
    // The order control asks the server again: higher first puts this run second.
    await history.getByLabel('Sweep order').selectOption('desc');
    await eventually(() => history.getByTestId('sweep-rank').innerText()).toBe('2nd of 2 on val/loss');
    expect(new URL(page.url()).searchParams.get('horder')).toBe('desc');
    await screenshot(page, 'version-history');
    await page.getByTestId('lineage-link').click();
    await eventually(() => new URL(page.url()).searchParams.get('node')).toBe('model_version:churn/2');
    expect(errors).toEqual([]);
  });
});
