/** Latency/throughput statistics. Percentiles use the nearest-rank method on the sorted samples. */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
  };
}

/** Milliseconds since an arbitrary origin, sub-microsecond resolution. */
export function nowMs(): number {
  return performance.now();
}

export interface LatencyOptions {
  warmup: number;
  n: number;
  /** Stop early (with fewer samples) once this much time has been spent measuring. */
  budgetMs: number;
}

/** Runs `fn` sequentially: `warmup` unrecorded calls, then up to `n` timed calls (ms each). */
export async function measureLatency(
  fn: (i: number) => Promise<unknown>,
  { warmup, n, budgetMs }: LatencyOptions,
): Promise<{ samples: number[]; truncated: boolean }> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const samples: number[] = [];
  const start = nowMs();
  for (let i = 0; i < n; i++) {
    const t0 = nowMs();
    await fn(i);
    samples.push(nowMs() - t0);
    if (nowMs() - start > budgetMs && i < n - 1) return { samples, truncated: true };
  }
  return { samples, truncated: false };
}

/**
 * `concurrency` loops each calling `fn` back to back until `durationMs` has passed (requests in
 * flight at the deadline are completed and counted). Returns completed calls, wall time and latencies.
 */
export async function measureThroughput(
  fn: (worker: number, i: number) => Promise<unknown>,
  concurrency: number,
  durationMs: number,
): Promise<{ count: number; wallMs: number; latencies: number[] }> {
  const latencies: number[] = [];
  const start = nowMs();
  const deadline = start + durationMs;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; nowMs() < deadline; i++) {
        const t0 = nowMs();
        await fn(worker, i);
        latencies.push(nowMs() - t0);
        count++;
      }
    }),
  );
  return { count, wallMs: nowMs() - start, latencies };
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond)) return 'n/a';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M ${unit}`;
  if (perSecond >= 1e4) return `${(perSecond / 1e3).toFixed(1)}k ${unit}`;
  return `${perSecond.toFixed(0)} ${unit}`;
}

/** Deterministic PRNG (mulberry32) so seeded data is the same from run to run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
