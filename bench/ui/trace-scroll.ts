/**
 * `npx tsx bench/ui/trace-scroll.ts <base-url> <path> [y|x]`: where a scrolling frame's main-thread
 * time goes in the runs table (scripting, style, layout, paint), from a Chrome trace of 120 frames
 * scrolled the way `run.ts` scrolls. A diagnostic beside `run.ts`, not a benchmark.
 * `TRACE_WAIT_MS` (default 500) waits after the first rows, e.g. until the charts above have drawn; 0 starts
 * in the frame the first rows appear, as `run.ts` does.
 * `TRACE_CPU_THROTTLE=N` throttles the page's CPU N× (as `run.ts --cpu-throttle`).
 * `TRACE_LONG=1` also lists each main-thread task of 17 ms or more during the scroll with its largest nested events.
 */
import { type CpuProfile, launchHeadless, printSelfTime, type TraceEvent } from './trace-lib.ts';

const [base, path, axis = 'y'] = process.argv.slice(2);
const browser = await launchHeadless();
try {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  const throttle = Number(process.env.TRACE_CPU_THROTTLE ?? 1);
  if (throttle !== 1) await (await ctx.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: throttle });
  // `TRACE_WAIT_MS=0` starts as run.ts does: the first frame the rows are in, not the load event.
  const asBench = process.env.TRACE_WAIT_MS === '0';
  await page.goto(path, asBench ? { waitUntil: 'commit' } : undefined);
  await page.waitForFunction(`!!document.querySelector('table[aria-label="Runs"] tbody tr[data-run-id]')`, null, {
    polling: asBench ? 'raf' : 100,
  });
  // `TRACE_CSS='…'` adds a style sheet first: an experiment on what a frame's cost depends on.
  if (process.env.TRACE_CSS) await page.addStyleTag({ content: process.env.TRACE_CSS });
  await page.waitForTimeout(Number(process.env.TRACE_WAIT_MS ?? 500));
  const profiling = process.env.TRACE_JS_PROFILE === '1';
  const cdp = await ctx.newCDPSession(page);
  if (profiling) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  } else
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  const deltas = (await page.evaluate(`new Promise((resolve) => {
    const el = document.querySelector('.grid-scroll');
    const out = []; let last = 0; let n = 0;
    const tick = (ts) => {
      if (last) out.push(ts - last);
      last = ts;
      if (${JSON.stringify(axis)} === 'y') el.scrollTop += 90;
      else { el.scrollLeft = (el.scrollLeft + 40) % Math.max(1, el.scrollWidth - el.clientWidth); el.scrollTop += 6; }
      if (++n < 120) requestAnimationFrame(tick); else resolve(out);
    };
    requestAnimationFrame(tick);
  })`)) as number[];
  if (profiling) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    printSelfTime(profile, 25);
    process.exit(0);
  }
  const buf = await browser.stopTracing();
  const events = (JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const totals = new Map<string, number>();
  for (const e of events) {
    if (!main || e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X') continue;
    totals.set(e.name, (totals.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  if (process.env.TRACE_LONG === '1' && main) {
    // Each main-thread task of 17 ms or more during the scroll, with its largest nested events.
    const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
    const start = Math.min(...mine.map((e) => e.ts));
    for (const task of mine.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) >= 17_000)) {
      const end = task.ts + (task.dur ?? 0);
      const inner = mine
        .filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && (e.dur ?? 0) >= 2_000)
        .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
        .slice(0, 6)
        .map((e) => {
          const d = e.args?.data as { functionName?: string; url?: string } | undefined;
          const where = d?.functionName || d?.url ? ` ${d.functionName ?? ''}@${(d.url ?? '').split('/').pop()}` : '';
          return `${e.name}${where} ${((e.dur ?? 0) / 1000).toFixed(1)}`;
        });
      console.log(
        `  task at ${((task.ts - start) / 1000).toFixed(0)} ms: ${((task.dur ?? 0) / 1000).toFixed(1)} ms — ${inner.join(', ')}`,
      );
    }
  }
  const sorted = [...deltas].sort((a, b) => a - b);
  console.log(
    `frames ${deltas.length}: p50 ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} ms`,
  );
  console.log('main-thread time per event name over the 120 frames (nested events overlap):');
  for (const [name, ms] of [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 22))
    console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name}`);
  await ctx.close();
} finally {
  await browser.close();
}
