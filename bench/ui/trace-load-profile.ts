/**
 * `npx tsx bench/ui/trace-load-profile.ts <base-url> <path> <condition-js>`: the JS self time by
 * function of one page load until `condition` holds, from a V8 CPU profile (a same-origin page
 * first, so the profiler survives the navigation; a warm-up load before it). The main thread's
 * long tasks of a load are `trace-timeline.ts`'s. A diagnostic beside `run.ts`, not a benchmark.
 */
import { type CpuProfile, launchHeadless, msUntil, printSelfTime } from './trace-lib.ts';

const [base, path, cond] = process.argv.slice(2);
const browser = await launchHeadless();
try {
  for (const profiled of [false, true]) {
    const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    await page.goto('/health');
    const cdp = await ctx.newCDPSession(page);
    if (profiled) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(path, { waitUntil: 'commit' });
    const done = await msUntil(page, cond);
    if (profiled) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      console.log(`condition at ${Math.round(done)} ms; JS self time:`);
      printSelfTime(profile, 30);
    }
    await ctx.close();
  }
} finally {
  await browser.close();
}
