import { type KeyValue, LIMITS } from '@trove/protocol';

/** One `runs/log-batch` request body's lists. */
export interface BatchChunk<M> {
  metrics: M[];
  params: KeyValue[];
  tags: KeyValue[];
}

/**
 * Splits metrics, params and tags into `log-batch` requests within MLflow's limits: at most 1000
 * metrics, 100 params, 100 tags and 1000 items in all per request. Order is kept; params go in
 * the earliest requests (MLflow applies params before metrics within a request).
 *
 * @example
 * chunkBatch(points, [], []).length; // 3 for 2500 points
 */
export function chunkBatch<M>(
  metrics: readonly M[],
  params: readonly KeyValue[] = [],
  tags: readonly KeyValue[] = [],
): BatchChunk<M>[] {
  const out: BatchChunk<M>[] = [];
  let m = 0;
  let p = 0;
  let t = 0;
  while (m < metrics.length || p < params.length || t < tags.length) {
    const ps = params.slice(p, p + LIMITS.batchParams);
    const ts = tags.slice(t, t + LIMITS.batchTags);
    const room = Math.min(LIMITS.batchMetrics, LIMITS.batchTotal - ps.length - ts.length);
    const ms = metrics.slice(m, m + room);
    out.push({ metrics: ms, params: ps, tags: ts });
    m += ms.length;
    p += ps.length;
    t += ts.length;
  }
  return out;
}
