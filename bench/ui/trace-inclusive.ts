/**
 * `npx tsx bench/ui/trace-inclusive.ts <base-url> <path> <condition-js> [reps] [top]`: the main thread's
 * CPU profile of page loads until the condition holds, as inclusive time per function (a React
 * component's inclusive time is its own render: React calls each component on its own, not from its
 * parent). Best read against a build with `minify: false`. A diagnostic beside `run.ts`, not a benchmark.
 */
import { type CpuProfile, launchHeadless, msUntil, profiledPage } from './trace-lib.ts';

const [base, path, cond, repsArg = '3', topArg = '40'] = process.argv.slice(2);
if (!base || !path || !cond) throw new Error('usage: trace-inclusive.ts <base-url> <path> <condition-js> [reps] [top]');

function inclusive(p: CpuProfile): Map<string, number> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (!f) break;
      const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber}`;
      if (seen.has(name)) continue;
      seen.add(name);
      out.set(name, (out.get(name) ?? 0) + ms);
    }
  });
  return out;
}

const browser = await launchHeadless();
const total = new Map<string, number>();
const reps = Number(repsArg);
try {
  for (let rep = 0; rep <= reps; rep++) {
    const { ctx, page, cdp } = await profiledPage(browser, base);
    await page.goto(path, { waitUntil: 'commit' });
    const done = await msUntil(page, cond);
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    await ctx.close();
    console.log(`load ${rep}: condition at ${Math.round(done)} ms${rep === 0 ? ' (warm-up, not counted)' : ''}`);
    if (rep === 0) continue;
    for (const [k, v] of inclusive(profile)) total.set(k, (total.get(k) ?? 0) + v / reps);
  }
} finally {
  await browser.close();
}
console.log(`inclusive main-thread time per function, mean of ${reps} loads:`);
for (const [name, ms] of [...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg)))
  console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${name}`);
