import type { StoredPoint } from './metric-reader.ts';
import type { DecodedChunk } from './point-chunk.ts';

/** Point `i` of a decoded chunk in the readers' shape (chunks hold no model or dataset ids). */
export function pointAt(c: DecodedChunk, i: number): StoredPoint {
  const v = c.value(i);
  const nan = Number.isNaN(v);
  return {
    timestamp: c.timestamp(i),
    step: c.step(i),
    is_nan: nan ? 1 : 0,
    value: nan ? 0 : v,
    model_id: null,
    dataset_name: null,
    dataset_digest: null,
  };
}

/** First index in `c` whose step is >= `step` (steps never decrease within a chunk). */
export function firstStepAtOrAfter(c: DecodedChunk, step: bigint | number): number {
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.step(mid) < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
