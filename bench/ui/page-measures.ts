/**
 * How `run.ts` measures a page: time from navigation to a condition, frame times while scrolling
 * the runs table, and hover latency on a chart. Scripts evaluated in the page are strings or
 * inline code: tsx's transform would add helpers the page does not have.
 */
import type { Page } from 'playwright-core';
import { percentile } from '../lib/stats.ts';

/** Milliseconds from navigation start until `cond` holds in the page (checked every animation frame). */
export async function timeTo(page: Page, url: string, cond: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const h = await page.waitForFunction(`(() => { if (!(${cond})) return false; return performance.now(); })()`, null, {
    polling: 'raf',
    timeout: 120_000,
  });
  return Number(await h.jsonValue());
}

export const INK = (sel: string, minCanvases = 1) => `(() => {
  const cs = [...document.querySelectorAll(${JSON.stringify(sel)})];
  if (cs.length < ${minCanvases}) return false;
  return cs.every((c) => { const x = c.getContext('2d'); if (!x || c.width === 0) return false;
    const d = x.getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 16) if (d[i]) { n++; if (n > 200) return true; } return false; });
})()`;

export interface FrameDeltas {
  /** Deltas of the timestamps requestAnimationFrame hands its callbacks (the frames' start times). */
  raf: number[];
  /** Deltas of performance.now() read in the callbacks. */
  now: number[];
}

/** Frame deltas while scrolling `.grid-scroll` by `px` per frame for `frames` frames (loading pages as it goes). */
export async function scrollFrames(page: Page, px: number, frames: number, axis: 'y' | 'x'): Promise<FrameDeltas> {
  // A string, not a function: tsx's transform would add helpers the page does not have.
  const script = `new Promise((resolve) => {
    const el = document.querySelector('.grid-scroll');
    const raf = [];
    const now = [];
    let last = 0;
    let lastTs = 0;
    let n = 0;
    const t0 = performance.now();
    const tick = (ts) => {
      const t = performance.now();
      now.push(t - last);
      raf.push(ts - lastTs);
      last = t;
      lastTs = ts;
      if (${JSON.stringify(axis)} === 'y') el.scrollTop += ${px};
      else { el.scrollLeft = (el.scrollLeft + ${px}) % Math.max(1, el.scrollWidth - el.clientWidth); el.scrollTop += 6; }
      // Stops after 20 s of wall time too: on a loaded machine frames can be slow.
      if (++n < ${frames} && t - t0 < 20000) requestAnimationFrame(tick);
      else resolve({ raf: raf.slice(2), now: now.slice(2) });
    };
    requestAnimationFrame((ts) => { last = performance.now(); lastTs = ts; requestAnimationFrame(tick); });
  })`;
  return page.evaluate(script) as Promise<FrameDeltas>;
}

function stats(deltas: number[]) {
  const s = [...deltas].sort((a, b) => a - b);
  return {
    frames: s.length,
    p50: percentile(s, 0.5),
    p95: percentile(s, 0.95),
    max: s[s.length - 1],
    over17: s.filter((d) => d > 17).length,
  };
}

/** p95 (and friends) of the rAF-timestamp deltas, the measure; performance.now() deltas alongside. */
export function frameStats(d: FrameDeltas) {
  // Where the long frames fell (frame index: ms), to tell page loads from steady scrolling.
  const long = d.raf.flatMap((ms, i) => (ms > 17 ? [`${i}:${ms.toFixed(0)}`] : []));
  return { ...stats(d.raf), now: stats(d.now), long };
}

export const frameText = (f: ReturnType<typeof frameStats>) =>
  `${f.p95.toFixed(1)} ms (p50 ${f.p50.toFixed(1)}, max ${f.max.toFixed(1)}, ${f.frames} frames; performance.now() p95 ${f.now.p95.toFixed(1)})`;
/** The long frames, for the log line only (the results table keeps to the p95). */
export const longFrames = (f: ReturnType<typeof frameStats>) => `${f.over17} over 17 ms at ${f.long.join(' ') || '—'}`;

/**
 * Hover on the compare page's chart of `opts.curves` runs: `moves` mousemoves dispatched across the
 * plot, each timed from the event to the frame that paints its tooltip and highlight (a message
 * posted from that frame's requestAnimationFrame callback arrives after its paint); p95 in ms, and
 * how many moves left the tooltip hidden (should be none).
 */
export async function hoverLatency(page: Page, url: string, moves = 100) {
  await timeTo(page, url, INK('.chart-card[data-metric="loss"] canvas'));
  const result = await page.evaluate(async (n) => {
    const over = document.querySelector<HTMLElement>('.chart-card[data-metric="loss"] .u-over')!;
    const box = over.getBoundingClientRect();
    const times: number[] = [];
    const handler: number[] = [];
    let misses = 0;
    for (let i = 0; i < n; i++) {
      const clientX = box.left + box.width * (0.05 + (0.9 * i) / n);
      const clientY = box.top + box.height * (0.2 + 0.06 * (i % 10));
      const t0 = performance.now();
      over.dispatchEvent(new MouseEvent('mousemove', { clientX, clientY, bubbles: true }));
      // uPlot handles the move synchronously (tooltip, highlight): the work the next frame waits for.
      handler.push(performance.now() - t0);
      // Inline, not a named helper: tsx's transform wraps named functions in a `__name` call that
      // does not exist in the page.
      await new Promise<void>((resolve) =>
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => resolve();
          ch.port2.postMessage(0);
        }),
      );
      times.push(performance.now() - t0);
      if (over.querySelector<HTMLElement>('.chart-tip')?.style.display === 'none') misses++;
    }
    times.sort((a, b) => a - b);
    handler.sort((a, b) => a - b);
    const at = Math.ceil(0.95 * times.length) - 1;
    return { p95: times[at], handlerP95: handler[at], misses };
  }, moves);
  return result;
}
