/**
 * `npx tsx bench/ui/trace-cpu.ts <base-url> <path> <condition-js> [--server-pid PID] [--reps N]`:
 * the CPU one page load costs, which a loaded machine does not inflate the way it does wall time.
 * Per load (after a warm-up): wall time to the condition; the renderer's CPU time up to then
 * (CDP `Performance.getMetrics`: ProcessTime, and ThreadTime of its main thread); the server's CPU time
 * (user + system, from /proc/<pid>/stat, so 10 ms steps; its whole process) over the load; and
 * requests and bytes fetched. Medians are printed last. A diagnostic beside `run.ts`, not a benchmark.
 */
import { readFileSync } from 'node:fs';
import { launchHeadless, msUntil } from './trace-lib.ts';

const [base, path, cond] = process.argv.slice(2);
const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const serverPid = flag('server-pid');
const reps = Number(flag('reps') ?? 5);
if (!base || !path || !cond) throw new Error('usage: trace-cpu.ts <base-url> <path> <condition-js> [--server-pid PID]');

/** utime + stime of a process in ms (the kernel counts in 1/100 s ticks). */
function processCpuMs(pid: string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const rows: { wall: number; mainCpu: number; rendererCpu: number; serverCpu: number }[] = [];
const browser = await launchHeadless();
try {
  for (let rep = 0; rep <= reps; rep++) {
    const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Performance.enable');
    const cpu0 = serverPid ? processCpuMs(serverPid) : 0;
    await page.goto(path, { waitUntil: 'commit' });
    const wall = await msUntil(page, cond);
    const serverCpu = serverPid ? processCpuMs(serverPid) - cpu0 : Number.NaN;
    // ThreadTime: the renderer main thread's CPU seconds; ProcessTime: the renderer process's.
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000;
    const [requests, bytes] = (await page.evaluate(
      `(() => { const r = performance.getEntriesByType('resource'); return [r.length, r.reduce((a, e) => a + e.encodedBodySize, 0)]; })()`,
    )) as [number, number];
    if (rep > 0) {
      const row = { wall, mainCpu: metric('ThreadTime'), rendererCpu: metric('ProcessTime'), serverCpu };
      rows.push(row);
      console.log(
        `load ${rep}: condition ${wall.toFixed(0)} ms; renderer CPU ${row.rendererCpu.toFixed(0)} ms (main thread ${row.mainCpu.toFixed(0)}); server CPU ${serverCpu} ms; ${requests} requests, ${(bytes / 1024).toFixed(0)} KiB`,
      );
    }
    await ctx.close();
  }
} finally {
  await browser.close();
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `median of ${rows.length}: condition ${med(rows.map((r) => r.wall)).toFixed(0)} ms; renderer CPU ${med(rows.map((r) => r.rendererCpu)).toFixed(0)} ms (main thread ${med(rows.map((r) => r.mainCpu)).toFixed(0)}); server CPU ${med(rows.map((r) => r.serverCpu))} ms`,
);
