import type { QueryClient } from '@tanstack/react-query';
import type { Charts } from '@trove/protocol';
import { getMetricChart } from '../api/charts.ts';
import type { Parsed } from '../api/types.ts';

type Series = Parsed<Charts.ChartSeries>;
type ChartKey = readonly ['metric-chart', string, readonly string[], readonly [number, number] | null, number];

const inFlight = new Map<string, Promise<void>>();
const again = new Set<string>();

/**
 * A `metrics` event's points reach the drawn charts without re-reading their series: each cached
 * whole-history chart query of this run and key asks the chart endpoint only for the steps after
 * its last one and appends them. Zoomed charts (a step range) are left alone. One read per query
 * at a time; an event arriving meanwhile runs one more after it.
 */
export function appendLivePoints(client: QueryClient, runId: string, maxSteps: Record<string, number | string>): void {
  for (const [key, max] of Object.entries(maxSteps)) {
    for (const query of client.getQueryCache().findAll({ queryKey: ['metric-chart', key] })) {
      const qk = query.queryKey as unknown as ChartKey;
      if (qk[3] !== null || !qk[2].includes(runId)) continue;
      const series = (query.state.data as Series[] | undefined)?.find((s) => s.run_id === runId);
      const last = series && series.steps.length > 0 ? Number(series.steps[series.steps.length - 1]) : undefined;
      if (last !== undefined && Number(max) <= last) continue;
      void appendAfter(client, qk, runId);
    }
  }
}

function appendAfter(client: QueryClient, qk: ChartKey, runId: string): Promise<void> {
  const id = `${JSON.stringify(qk)}|${runId}`;
  const running = inFlight.get(id);
  if (running) {
    again.add(id);
    return running;
  }
  const work = (async () => {
    try {
      do {
        again.delete(id);
        const data = client.getQueryData<Series[]>(qk);
        if (!data) return;
        const series = data.find((s) => s.run_id === runId);
        const last = series && series.steps.length > 0 ? Number(series.steps[series.steps.length - 1]) : undefined;
        const [fresh] = await getMetricChart({
          runIds: [runId],
          key: qk[1],
          startStep: last === undefined ? undefined : last + 1,
          points: qk[4],
        });
        if (!fresh || fresh.steps.length === 0) continue;
        client.setQueryData<Series[]>(qk, (old) =>
          old?.map((s) =>
            s.run_id !== runId
              ? s
              : {
                  ...s,
                  steps: [...s.steps, ...fresh.steps],
                  timestamps: [...s.timestamps, ...fresh.timestamps],
                  values: [...s.values, ...fresh.values],
                },
          ),
        );
      } while (again.has(id));
    } finally {
      inFlight.delete(id);
    }
  })();
  inFlight.set(id, work);
  return work;
}
