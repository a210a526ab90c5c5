/**
 * `npx tsx bench/ui/trace.ts <base-url> <path> [condition-js]`: where the time of one page load goes.
 * Prints every resource the page fetched (start → end, relative to navigation start), then the moment
 * the condition held. A diagnostic beside `run.ts`, not a benchmark.
 */
import { chromium } from 'playwright-core';

const [base, path, cond = 'document.querySelector(".chart-card canvas")'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.TROVE_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  chromiumSandbox: false,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  for (let rep = 0; rep < 2; rep++) {
    const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.goto(path, { waitUntil: 'commit' });
    const h = await page.waitForFunction(`(() => { if (!(${cond})) return false; return performance.now(); })()`, null, { polling: 'raf', timeout: 120_000 });
    const done = Number(await h.jsonValue());
    const entries = (await page.evaluate(
      `performance.getEntriesByType('resource').map((e) => [e.name.replace(location.origin, '').slice(0, 90), Math.round(e.startTime), Math.round(e.responseStart), Math.round(e.responseEnd), e.encodedBodySize])`,
    )) as [string, number, number, number, number][];
    const nav = (await page.evaluate(
      `(() => { const n = performance.getEntriesByType('navigation')[0]; return [Math.round(n.responseEnd), Math.round(n.domInteractive), Math.round(n.domContentLoadedEventEnd)]; })()`,
    )) as number[];
    console.log(`\nrep ${rep}: html end ${nav[0]} ms, domInteractive ${nav[1]}, DCL ${nav[2]}`);
    for (const [name, start, first, end, size] of entries)
      console.log(`  ${String(start).padStart(5)} → ${String(first).padStart(5)} → ${String(end).padStart(5)} ms  ${String(size).padStart(9)} B  ${name}`);
    console.log(`  condition held at ${Math.round(done)} ms`);
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    printProfile(profile);
    await ctx.close();
  }
} finally {
  await browser.close();
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (top 25) of the page's main thread while it loaded. */
function printProfile(p: CpuProfile): void {
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const n = byNode.get(id);
    if (!n) return;
    const f = n.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber}`;
    self.set(name, (self.get(name) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`  profile: ${Math.round(total)} ms sampled`);
  for (const [name, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${name}`);
}
