import { invalidParam, LIMITS } from '@trove/protocol';
import { listRunParams, type MetricPoint, type RunDataWriter, type Store } from '@trove/store';
import { metricsLiveEvent } from './live-events.ts';
import { readMetric } from './metric-input.ts';
import { flatten, parseTypedParam, typedParam, unflatten } from './nested-metadata.ts';
import { type RunService, validateParam, validateRunTag } from './run.service.ts';
import type { MetricsHook } from './run-data.service.ts';
import type { Workspace } from './workspace.service.ts';

export interface NativeLogBody {
  params?: unknown;
  metrics?: unknown;
  tags?: unknown;
  /** Default step and timestamp for metric values given as bare numbers. */
  step?: unknown;
  timestamp?: unknown;
}

/**
 * Trove's native logging: nested JSON in, path keys stored, param types kept. A metric leaf is a
 * number (logged at the body's step/timestamp) or a list of `{step, value, timestamp?}` points.
 */
export function createNativeLogService(store: Store, runs: RunService, writer: RunDataWriter, onMetrics?: MetricsHook) {
  async function log(ws: Workspace, runUuid: string, body: NativeLogBody) {
    const now = Date.now();
    const defaults = { step: body.step ?? 0, timestamp: body.timestamp ?? now };
    const params =
      body.params === undefined
        ? []
        : flatten(body.params).map(([key, v]) => {
            const typed = typedParam(v);
            validateParam(key, typed.value);
            return { key, ...typed };
          });
    const tags =
      body.tags === undefined
        ? []
        : flatten(body.tags).map(([key, v]) => {
            if (typeof v !== 'string') throw invalidParam(`Tag '${key}' must be a string.`);
            validateRunTag(key, v);
            return { key, value: v };
          });
    const metrics: MetricPoint[] = [];
    if (body.metrics !== undefined) {
      for (const [key, v] of flatten(body.metrics)) {
        const points = Array.isArray(v) ? v : [{ value: v }];
        points.forEach((p, i) => {
          if (p === null || typeof p !== 'object')
            throw invalidParam(`metrics.${key}[${i}] must be an object {step, value, timestamp?}.`);
          metrics.push(readMetric({ ...defaults, ...(p as object), key }, `metrics.${key}[${i}]`));
        });
      }
    }
    if (params.length > 10 * LIMITS.batchParams || metrics.length > 100 * LIMITS.batchMetrics) {
      throw invalidParam(
        `A native log request can hold at most ${10 * LIMITS.batchParams} params and ${100 * LIMITS.batchMetrics} metric points.`,
      );
    }
    const run = await runs.getActiveRow(ws, runUuid);
    await writer.write(run.id, runUuid, { params, metrics, tags, live: metricsLiveEvent(ws.id, run, metrics) });
    const judging = onMetrics?.(run, metrics);
    if (judging) await judging;
    return { params: params.length, metric_points: metrics.length, tags: tags.length };
  }

  /** The run's params as typed values, flat and as a tree. */
  async function params(ws: Workspace, runUuid: string) {
    const run = await runs.getRow(ws, runUuid);
    const rows = await listRunParams(store.db, run.id);
    const entries: [string, unknown][] = rows.map((r) => [r.key, parseTypedParam(r.value, r.value_type)]);
    return {
      params: rows.map((r, i) => ({ key: r.key, value: entries[i][1], type: r.value_type })),
      tree: unflatten(entries),
    };
  }

  return { log, params };
}

export type NativeLogService = ReturnType<typeof createNativeLogService>;
