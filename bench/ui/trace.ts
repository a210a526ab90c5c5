/**
 * `npx tsx bench/ui/trace.ts <base-url> <path> [condition-js]`: where the time of one page load goes.
 * Prints every resource the page fetched (start → end, relative to navigation start), then the moment
 * the condition held. A diagnostic beside `run.ts`, not a benchmark.
 */
import { type CpuProfile, launchHeadless, printSelfTime, profiledPage } from './trace-lib.ts';

const [base, path, cond = 'document.querySelector(".chart-card canvas")'] = process.argv.slice(2);
const browser = await launchHeadless();
try {
  for (let rep = 0; rep < 2; rep++) {
    const { ctx, page, cdp } = await profiledPage(browser, base);
    await page.goto(path, { waitUntil: 'commit' });
    const h = await page.waitForFunction(
      `(() => { if (!(${cond})) return false; return performance.now(); })()`,
      null,
      { polling: 'raf', timeout: 120_000 },
    );
    const done = Number(await h.jsonValue());
    const entries = (await page.evaluate(
      `performance.getEntriesByType('resource').map((e) => [e.name.replace(location.origin, '').slice(0, 90), Math.round(e.startTime), Math.round(e.responseStart), Math.round(e.responseEnd), e.encodedBodySize])`,
    )) as [string, number, number, number, number][];
    const nav = (await page.evaluate(
      `(() => { const n = performance.getEntriesByType('navigation')[0]; return [Math.round(n.responseEnd), Math.round(n.domInteractive), Math.round(n.domContentLoadedEventEnd)]; })()`,
    )) as number[];
    console.log(`\nrep ${rep}: html end ${nav[0]} ms, domInteractive ${nav[1]}, DCL ${nav[2]}`);
    for (const [name, start, first, end, size] of entries)
      console.log(
        `  ${String(start).padStart(5)} → ${String(first).padStart(5)} → ${String(end).padStart(5)} ms  ${String(size).padStart(9)} B  ${name}`,
      );
    console.log(`  condition held at ${Math.round(done)} ms`);
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    printSelfTime(profile, 25);
    await ctx.close();
  }
} finally {
  await browser.close();
}
