/**
 * `npx tsx bench/ui/trace-timeline.ts <base-url> <path> [condition-js]`: the renderer main thread's
 * long events (≥ 8 ms) during one page load, from a Chrome trace, relative to navigation start.
 * A diagnostic beside `run.ts`, not a benchmark.
 */
import { launchHeadless, msUntil, type TraceEvent } from './trace-lib.ts';

const [base, path, cond = 'document.querySelector(".chart-card canvas")'] = process.argv.slice(2);
const browser = await launchHeadless();
try {
  // Warm-up load, as the benchmark does, then the traced one in a fresh context.
  for (const traced of [false, true]) {
    const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    if (traced)
      await browser.startTracing(page, {
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'blink.user_timing',
          'loading',
          'v8.execute',
        ],
      });
    await page.goto(path, { waitUntil: 'commit' });
    const done = await msUntil(page, cond);
    if (traced) {
      const buf = await browser.stopTracing();
      const events = (JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
      const main = events.find(
        (e) =>
          e.name === 'thread_name' &&
          e.args?.name === 'CrRendererMain' &&
          events.some((x) => x.pid === e.pid && x.name === 'navigationStart'),
      );
      const navStart = events.find((e) => e.name === 'navigationStart' && e.pid === main?.pid)?.ts ?? 0;
      console.log(`condition held at ${Math.round(done)} ms`);
      for (const e of events) {
        if (main && e.name.startsWith('Resource') && e.args?.data) {
          const d = e.args.data as { url?: string; requestId?: string };
          console.log(
            `${String(Math.round((e.ts - navStart) / 1000)).padStart(6)} ms        ${e.name} ${d.url ? String(d.url).replace(base, '').slice(0, 70) : d.requestId}`,
          );
          continue;
        }
        if (!main || e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || (e.dur ?? 0) < 8000) continue;
        const what = e.args?.data ? JSON.stringify(e.args.data).slice(0, 120) : '';
        console.log(
          `${String(Math.round((e.ts - navStart) / 1000)).padStart(6)} ms +${String(Math.round((e.dur ?? 0) / 1000)).padStart(4)} ms  ${e.name} ${what}`,
        );
      }
    }
    await ctx.close();
  }
} finally {
  await browser.close();
}
