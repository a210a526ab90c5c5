/**
 * `npx tsx bench/ui/ab-load.ts <base-A> <base-B> <path> <condition-js> [reps]`: page loads of two
 * servers alternated (A, B, A, B, …), each in a fresh browser context as `run.ts` measures them, so
 * both meet the same machine load. Prints each side's loads and median. A diagnostic for a change
 * on a loaded machine, where run.ts's absolute numbers mean little; not a benchmark.
 */
import { launchHeadless, msUntil } from './trace-lib.ts';

const [a, b, path, cond, repsText = '7'] = process.argv.slice(2);
const reps = Number(repsText);
const browser = await launchHeadless();
const times: Record<string, number[]> = { [a]: [], [b]: [] };
try {
  for (let i = -1; i < reps; i++) {
    for (const base of i % 2 === 0 ? [a, b] : [b, a]) {
      const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } });
      const page = await ctx.newPage();
      await page.goto(path, { waitUntil: 'commit' });
      const ms = await msUntil(page, cond);
      // The first round warms both servers' caches and is not counted.
      if (i >= 0) times[base].push(ms);
      await ctx.close();
    }
  }
} finally {
  await browser.close();
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
for (const base of [a, b])
  console.log(
    `${base}: median ${median(times[base]).toFixed(0)} ms; ${times[base].map((t) => t.toFixed(0)).join(', ')}`,
  );
