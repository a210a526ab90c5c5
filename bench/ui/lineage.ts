/**
 * `npx tsx bench/ui/lineage.ts [sizes…]` (default 300 1000): the lineage page's layout (ELK, in its
 * worker) and first render of a synthetic graph, in headless Chromium against the built UI. The
 * graph is served by intercepting `/api/trove/v1/lineage`, so only the page is measured. Prints the
 * median of 5 loads (after one warm-up) per size: layout ms (data → positions) and render ms
 * (positions → the frame after the SVG is committed).
 */

import { startServer } from '../../test/support/server.ts';
import { ensureUiBuilt } from '../../test/ui/support/build.ts';
import { syntheticLineage } from './lineage-graph.ts';
import { launchHeadless } from './trace-lib.ts';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

ensureUiBuilt();
const server = await startServer();
const browser = await launchHeadless();
try {
  for (const size of sizes.length ? sizes : [300, 1000]) {
    const body = JSON.stringify(syntheticLineage(size));
    const layout: number[] = [];
    const render: number[] = [];
    for (let i = 0; i < 6; i++) {
      const ctx = await browser.newContext({ baseURL: server.url, viewport: { width: 1400, height: 900 } });
      const page = await ctx.newPage();
      await page.route('**/api/trove/v1/lineage?**', (r) => r.fulfill({ contentType: 'application/json', body }));
      await page.goto('/lineage?node=run:p0');
      const ready = page.locator('[data-testid="lineage-ready"][data-render-ms]');
      await ready.waitFor({ timeout: 120_000 });
      if (i > 0) {
        layout.push(Number(await ready.getAttribute('data-layout-ms')));
        render.push(Number(await ready.getAttribute('data-render-ms')));
      }
      const shown = await page.locator('g[data-node-id]').count();
      if (i === 0) console.log(`${size} nodes: ${shown} node elements in the DOM after fit`);
      await ctx.close();
    }
    console.log(
      `${size} nodes: layout ${median(layout).toFixed(0)} ms, render ${median(render).toFixed(0)} ms (median of ${layout.length})`,
    );
  }
} finally {
  await browser.close();
  await server.close();
}
