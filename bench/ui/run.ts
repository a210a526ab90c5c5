/**
 * `npm run bench:ui [-- --runs N --params P --metrics M --steps S --curves C]`: the web UI in
 * headless Chromium against a real `trove server` over a directly seeded SQLite file.
 * Not a test: it prints a table and writes bench/ui/results/latest.json.
 *
 * Measures: navigation → first rendered runs rows; frame times (requestAnimationFrame deltas)
 * while scrolling the runs table with the default 8 columns and with every param/metric column;
 * navigation → a drawn chart of one run's S-step metric (run page) and of C such runs (compare
 * page); navigation → the compare page of 100 runs with its table and chart drawn.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { callJson, createClient } from '../lib/client.ts';
import { seedSeries } from '../lib/seed.ts';
import { killAllChildren, REPO_ROOT, startTroveServer } from '../lib/server.ts';
import { percentile } from '../lib/stats.ts';
import { seedWideRuns } from './seed-wide.ts';

const API = '/api/2.0/mlflow';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const opts = { runs: arg('runs', 100_000), params: arg('params', 50), metrics: arg('metrics', 20), steps: arg('steps', 100_000), curves: arg('curves', 10), reps: arg('reps', 3) };
const log = (s: string) => console.log(`[bench:ui] ${s}`);
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function newPage(browser: Browser, base: string): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(120_000);
  return page;
}

/** Milliseconds from navigation start until `cond` holds in the page (checked every animation frame). */
async function timeTo(page: Page, url: string, cond: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const h = await page.waitForFunction(`(() => { if (!(${cond})) return false; return performance.now(); })()`, null, { polling: 'raf', timeout: 120_000 });
  return Number(await h.jsonValue());
}

const INK = (sel: string, minCanvases = 1) => `(() => {
  const cs = [...document.querySelectorAll(${JSON.stringify(sel)})];
  if (cs.length < ${minCanvases}) return false;
  return cs.every((c) => { const x = c.getContext('2d'); if (!x || c.width === 0) return false;
    const d = x.getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 16) if (d[i]) { n++; if (n > 200) return true; } return false; });
})()`;

/** rAF deltas while scrolling `.grid-scroll` down by `px` per frame for `frames` frames (loading pages as it goes). */
async function scrollFrames(page: Page, px: number, frames: number, axis: 'y' | 'x'): Promise<number[]> {
  // A string, not a function: tsx's transform would add helpers the page does not have.
  const script = `new Promise((resolve) => {
    const el = document.querySelector('.grid-scroll');
    const deltas = [];
    let last = 0;
    let n = 0;
    const t0 = performance.now();
    // performance.now(), not the rAF argument: headless Chromium hands rAF synthetic frame times.
    const tick = () => {
      const t = performance.now();
      deltas.push(t - last);
      last = t;
      if (${JSON.stringify(axis)} === 'y') el.scrollTop += ${px};
      else { el.scrollLeft = (el.scrollLeft + ${px}) % Math.max(1, el.scrollWidth - el.clientWidth); el.scrollTop += 6; }
      // Stops after 20 s of wall time too: on a loaded machine frames can be slow.
      if (++n < ${frames} && t - t0 < 20000) requestAnimationFrame(tick);
      else resolve(deltas.slice(2));
    };
    requestAnimationFrame(() => { last = performance.now(); requestAnimationFrame(tick); });
  })`;
  return page.evaluate(script) as Promise<number[]>;
}

function frameStats(deltas: number[]) {
  const s = [...deltas].sort((a, b) => a - b);
  return { frames: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1], over17: s.filter((d) => d > 17).length };
}

async function main() {
  const started = Date.now();
  const dataDir = mkdtempSync(join(os.tmpdir(), 'trove-bench-ui-'));
  const results: Record<string, unknown> = {
    opts,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  };
  let browser: Browser | undefined;
  try {
    const setup = await startTroveServer({ dataDir });
    const sc = createClient('node:http', setup.url);
    const wideExp = (await callJson(sc, 'POST', `${API}/experiments/create`, { name: `ui-bench-${opts.runs}-runs` })).experiment_id as string;
    const curveExp = (await callJson(sc, 'POST', `${API}/experiments/create`, { name: 'ui-bench-curves' })).experiment_id as string;
    const curveRuns: string[] = [];
    for (let i = 0; i < opts.curves; i++)
      curveRuns.push((await callJson(sc, 'POST', `${API}/runs/create`, { experiment_id: curveExp, run_name: `curve-${i}`, start_time: Date.UTC(2025, 0, 1) })).run.info.run_id);
    await sc.close();
    await setup.stop();

    const dbPath = join(dataDir, 'trove.db');
    const seeded = seedWideRuns(dbPath, Number(wideExp), opts.runs, opts.params, opts.metrics);
    log(`seeded ${opts.runs} runs × ${opts.params} params × ${opts.metrics} metrics in ${(seeded.ms / 1000).toFixed(1)} s`);
    let seriesMs = 0;
    for (const id of curveRuns) seriesMs += seedSeries(dbPath, id, 'loss', opts.steps).ms;
    log(`seeded ${opts.curves} × ${opts.steps}-step 'loss' series in ${(seriesMs / 1000).toFixed(1)} s`);
    results.seeding = { wideMs: seeded.ms, seriesMs };

    const server = await startTroveServer({ dataDir });
    browser = await chromium.launch({
      executablePath: process.env.TROVE_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      chromiumSandbox: false,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const rowsSel = `document.querySelector('table[aria-label="Runs"] tbody tr[data-run-id]')`;
    const expUrl = `/experiments/${wideExp}`;
    // Warm-up: HTTP cache of the app's assets, the server's SQLite page cache.
    {
      const page = await newPage(browser, server.url);
      await timeTo(page, expUrl, rowsSel);
      await page.context().close();
    }
    const firstRows: number[] = [];
    for (let i = 0; i < opts.reps; i++) {
      const page = await newPage(browser, server.url);
      firstRows.push(await timeTo(page, expUrl, rowsSel));
      await page.context().close();
    }
    log(`first runs rows: ${firstRows.map(ms).join(', ')}`);

    // Scrolling: default columns, then every param and metric column (70 at the default sizes).
    const page = await newPage(browser, server.url);
    await timeTo(page, expUrl, rowsSel);
    const scrollDefault = frameStats(await scrollFrames(page, 90, 240, 'y'));
    const loadedDefault = await page.locator('table[aria-label="Runs"]').getAttribute('aria-rowcount');
    log(
      `scroll (default columns): p50 ${scrollDefault.p50.toFixed(1)} ms, p95 ${scrollDefault.p95.toFixed(1)} ms, max ${scrollDefault.max.toFixed(1)} ms over ${scrollDefault.frames} frames; ${loadedDefault} rows loaded`,
    );
    const cols = [
      ...Array.from({ length: opts.metrics }, (_, i) => `metrics.m${String(i).padStart(2, '0')}`),
      ...Array.from({ length: opts.params }, (_, i) => `params.p${String(i).padStart(2, '0')}`),
    ];
    const wideUrl = `${expUrl}?${cols.map((c) => `col=${encodeURIComponent(c)}`).join('&')}`;
    const firstRowsWide = await timeTo(page, wideUrl, rowsSel);
    const scrollWide = frameStats(await scrollFrames(page, 90, 240, 'y'));
    const scrollWideX = frameStats(await scrollFrames(page, 40, 120, 'x'));
    log(`first rows with ${cols.length} columns: ${ms(firstRowsWide)}`);
    log(`scroll down (${cols.length} columns): p50 ${scrollWide.p50.toFixed(1)} ms, p95 ${scrollWide.p95.toFixed(1)} ms, max ${scrollWide.max.toFixed(1)} ms`);
    log(`scroll across (${cols.length} columns): p50 ${scrollWideX.p50.toFixed(1)} ms, p95 ${scrollWideX.p95.toFixed(1)} ms, max ${scrollWideX.max.toFixed(1)} ms`);
    await page.context().close();

    // Charts: one run's S-step metric on its run page, then C runs overlaid on the compare page.
    const chartOne: number[] = [];
    for (let i = 0; i < opts.reps; i++) {
      const p = await newPage(browser, server.url);
      chartOne.push(await timeTo(p, `/experiments/${curveExp}/runs/${curveRuns[0]}?tab=charts&m=loss`, INK('.chart-card[data-metric="loss"] canvas')));
      await p.context().close();
    }
    log(`chart of 1 run × ${opts.steps} steps: ${chartOne.map(ms).join(', ')}`);
    const chartMany: number[] = [];
    for (let i = 0; i < opts.reps; i++) {
      const p = await newPage(browser, server.url);
      chartMany.push(await timeTo(p, `/compare?${curveRuns.map((r) => `runs=${r}`).join('&')}&exp=${curveExp}&metric=loss`, INK('.chart-card[data-metric="loss"] canvas')));
      await p.context().close();
    }
    log(`chart of ${opts.curves} runs × ${opts.steps} steps (compare page): ${chartMany.map(ms).join(', ')}`);

    // Compare 100 runs of the wide experiment: the side-by-side table and the overlaid chart.
    const sc2 = createClient('node:http', server.url);
    const hundred = ((await callJson(sc2, 'POST', `${API}/runs/search`, { experiment_ids: [wideExp], max_results: 100 })).runs as { info: { run_id: string } }[]).map(
      (r) => r.info.run_id,
    );
    await sc2.close();
    const compareUrl = `/compare?${hundred.map((r) => `runs=${r}`).join('&')}&exp=${wideExp}`;
    const compareTable: number[] = [];
    const compareChart: number[] = [];
    const compareParallel: number[] = [];
    for (let i = 0; i < opts.reps; i++) {
      const p = await newPage(browser, server.url);
      compareTable.push(await timeTo(p, compareUrl, `document.querySelectorAll('table[aria-label="Run comparison"] tr[data-key]').length >= ${opts.params}`));
      const h = await p.waitForFunction(`(() => ${INK('.chart-card canvas')} && performance.now())()`, null, { polling: 'raf', timeout: 120_000 });
      compareChart.push(Number(await h.jsonValue()));
      const pc = await p.waitForFunction(`(() => document.querySelectorAll('svg.parallel path.pc-line').length === ${hundred.length} && performance.now())()`, null, {
        polling: 'raf',
        timeout: 120_000,
      });
      compareParallel.push(Number(await pc.jsonValue()));
      await p.context().close();
    }
    log(`compare 100 runs: table ${compareTable.map(ms).join(', ')}; chart drawn ${compareChart.map(ms).join(', ')}; parallel coordinates ${compareParallel.map(ms).join(', ')}`);

    Object.assign(results, { firstRows, firstRowsWide, scrollDefault, loadedDefault, scrollWide, scrollWideX, chartOne, chartMany, compareTable, compareChart, compareParallel });
    await browser.close();
    browser = undefined;
    await server.stop();

    const table: [string, string, string][] = [
      [`first runs rows (${opts.runs} runs, median of ${opts.reps})`, ms(median(firstRows)), '≤ 1 s'],
      [`first runs rows with ${cols.length} columns`, ms(firstRowsWide), ''],
      ['scroll frame p95, default 8 columns', `${scrollDefault.p95.toFixed(1)} ms (p50 ${scrollDefault.p50.toFixed(1)}, max ${scrollDefault.max.toFixed(1)})`, '≤ 16 ms'],
      [`scroll frame p95 down, ${cols.length} columns`, `${scrollWide.p95.toFixed(1)} ms (p50 ${scrollWide.p50.toFixed(1)}, max ${scrollWide.max.toFixed(1)})`, '≤ 16 ms'],
      [`scroll frame p95 across, ${cols.length} columns`, `${scrollWideX.p95.toFixed(1)} ms (p50 ${scrollWideX.p50.toFixed(1)}, max ${scrollWideX.max.toFixed(1)})`, '≤ 16 ms'],
      [`chart, 1 run × ${opts.steps} steps (median)`, ms(median(chartOne)), '≤ 1 s'],
      [`chart, ${opts.curves} runs × ${opts.steps} steps (median)`, ms(median(chartMany)), '≤ 1 s'],
      ['compare 100 runs: table (median)', ms(median(compareTable)), '≤ 1 s'],
      ['compare 100 runs: chart drawn (median)', ms(median(compareChart)), '≤ 1 s'],
      ['compare 100 runs: parallel coordinates drawn (median)', ms(median(compareParallel)), '≤ 1 s'],
    ];
    console.log('\n| measurement | Trove | target |\n|---|---|---|');
    for (const [a, b, c] of table) console.log(`| ${a} | ${b} | ${c} |`);
    mkdirSync(join(REPO_ROOT, 'bench/ui/results'), { recursive: true });
    const out = join(REPO_ROOT, 'bench/ui/results', 'latest.json');
    writeFileSync(out, JSON.stringify(results, null, 2));
    log(`wrote ${out} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    killAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  killAllChildren();
  process.exit(1);
});
