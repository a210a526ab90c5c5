/** What the trace diagnostics beside `run.ts` share: the browser they drive, and CPU profile summaries. */
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';

/** Headless Debian Chromium without a GPU, as `run.ts` drives it. */
export function launchHeadless(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.TROVE_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: false,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}

/** A fresh context (1400×900, as `run.ts`) and page whose main thread is being profiled (200 µs samples). */
export async function profiledPage(
  browser: Browser,
  baseURL: string,
): Promise<{ ctx: BrowserContext; page: Page; cdp: CDPSession }> {
  const ctx = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return { ctx, page, cdp };
}

/** One event of a Chrome trace (the fields the diagnostics read). */
export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

/** A V8 CPU profile as CDP's `Profiler.stop` returns it. */
export interface CpuProfile {
  nodes: {
    id: number;
    children?: number[];
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Prints the `top` functions by self time (file:line:column, for minified bundles), with the total sampled. */
export function printSelfTime(p: CpuProfile, top: number): void {
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const f = byNode.get(id)?.callFrame;
    if (!f) return;
    const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber}:${f.columnNumber}`;
    self.set(name, (self.get(name) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`  profile: ${Math.round(total)} ms sampled`);
  for (const [name, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${name}`);
}

/** Milliseconds from navigation start until `cond` (a JS expression) holds in the page, checked every frame. */
export async function msUntil(page: Page, cond: string): Promise<number> {
  const h = await page.waitForFunction(`(() => { if (!(${cond})) return false; return performance.now(); })()`, null, {
    polling: 'raf',
    timeout: 120_000,
  });
  return Number(await h.jsonValue());
}
