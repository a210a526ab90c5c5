/**
 * `npx tsx bench/ui/trace-load-profile.ts <base-url> <path> <condition-js>`: where one page load's
 * main-thread time goes until `condition` holds: top-level task time by event name from a Chrome
 * trace, and the JS self time by function from a V8 CPU profile of the same kind of load (a
 * same-origin page first, so the profiler survives the navigation). A diagnostic beside
 * `run.ts`, not a benchmark.
 */
import { type CpuProfile, launchHeadless, printSelfTime, type TraceEvent } from './trace-lib.ts';

const [base, path, cond] = process.argv.slice(2);
const browser = await launchHeadless();
const waitCond = (page: import('playwright-core').Page) =>
  page.waitForFunction(`(() => { if (!(${cond})) return false; return performance.now(); })()`, null, {
    polling: 'raf',
    timeout: 120_000,
  });
try {
  for (const mode of ['warm-up', 'trace', 'profile'] as const) {
    const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    if (mode === 'trace')
      await browser.startTracing(page, {
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute'],
      });
    let cdp: import('playwright-core').CDPSession | undefined;
    if (mode === 'profile') {
      await page.goto('/health');
      cdp = await ctx.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(path, { waitUntil: 'commit' });
    const done = Number(await (await waitCond(page)).jsonValue());
    if (mode === 'trace') {
      const buf = await browser.stopTracing();
      const events = (JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
      const main = events.find(
        (e) =>
          e.name === 'thread_name' &&
          e.args?.name === 'CrRendererMain' &&
          events.some((x) => x.pid === e.pid && x.name === 'navigationStart'),
      );
      const nav = events.find((e) => e.name === 'navigationStart' && e.pid === main?.pid)?.ts ?? 0;
      const end = nav + done * 1000;
      const totals = new Map<string, number>();
      // Only children of RunTask (the top-level tasks) are counted, so nothing is counted twice.
      const tasks = events.filter(
        (e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.ts >= nav && e.ts <= end,
      );
      const top = tasks.filter((e) => e.name === 'RunTask');
      for (const t of top) {
        const inner = tasks.filter(
          (e) => e !== t && e.name !== 'RunTask' && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + (t.dur ?? 0),
        );
        // The outermost children of this task.
        const outer = inner.filter(
          (e) =>
            !inner.some(
              (o) =>
                o !== e && o.ts <= e.ts && o.ts + (o.dur ?? 0) >= e.ts + (e.dur ?? 0) && (o.dur ?? 0) > (e.dur ?? 0),
            ),
        );
        let covered = 0;
        for (const e of outer) {
          totals.set(e.name, (totals.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
          covered += (e.dur ?? 0) / 1000;
        }
        totals.set('(task, other)', (totals.get('(task, other)') ?? 0) + Math.max(0, (t.dur ?? 0) / 1000 - covered));
      }
      console.log(`trace: condition at ${Math.round(done)} ms; main-thread task time by kind:`);
      for (const [name, ms] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 15))
        console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
    }
    if (mode === 'profile' && cdp) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      console.log(`profile: condition at ${Math.round(done)} ms; JS self time:`);
      printSelfTime(profile, 30);
    }
    await ctx.close();
  }
} finally {
  await browser.close();
}
