import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ErrorBox, Loading } from '../components/status.tsx';
import { formatNumber } from '../lib/format.ts';
import {
  alignSeries,
  downsampleMinMax,
  seriesFromColumns,
  snapToSharedGrid,
  type TimeXMode,
  type XMode,
  xValues,
} from '../lib/series.ts';
import { ema } from '../lib/smoothing.ts';
import { pairByStep, xMetricKey, xModeLabel } from '../lib/x-metric.ts';
import LineChart, { type LineSeries } from './LineChart.tsx';
import { metricChartQuery } from './metric-chart-query.ts';
import { colorFor } from './palette.ts';

export interface MetricChartProps {
  metricKey: string;
  runIds: string[];
  /** Display names per run id. */
  runLabels: Record<string, string>;
  /** Colours per run id (the runs table's swatches); runs without one take the palette colour of their position. */
  runColors?: Readonly<Record<string, string>>;
  /** Step range to request (zoom); null = the whole history. */
  range: [number, number] | null;
  onZoom?: (range: [number, number] | null) => void;
  smoothing: number;
  xMode: XMode;
  logY: boolean;
  /** Points per run the server sends at most (each step bucket's first, min, max and last); a range holding fewer comes whole. */
  maxPoints?: number;
}

/**
 * One metric for one or more runs, drawn from Trove's chart endpoint (`/api/trove/v1/metrics/chart`):
 * the server downsamples each run to at most `maxPoints` points keeping spikes (min/max per step
 * bucket, from chunk summaries over long ranges), so the chart never waits for a full history.
 * Steps and timestamps come with every point, so step, wall-time and relative-time axes draw from
 * the same response. With another metric on the x axis (`metric:<key>`), that metric is read too and
 * each point drawn at its value at the same (or nearest earlier) step (`pairByStep`). Zooming (drag
 * across a step axis) asks again for just that step range, which returns it at full detail once it
 * is small.
 */
export default function MetricChart({
  metricKey,
  runIds,
  runLabels,
  runColors,
  range,
  onZoom,
  smoothing,
  xMode,
  logY,
  maxPoints = 1000,
}: MetricChartProps) {
  const query = useQuery({
    ...metricChartQuery(metricKey, runIds, range, maxPoints),
    placeholderData: keepPreviousData,
    enabled: runIds.length > 0,
  });
  // With another metric on the x axis, that metric is read over the same steps with the same budget
  // (same query key shape, so a metric charted beside it shares the request).
  const xKey = xMetricKey(xMode);
  const xQuery = useQuery({
    ...metricChartQuery(xKey ?? '', runIds, range, maxPoints),
    // Kept while the same x metric re-reads (a zoom), never shown under another metric's name.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === xKey ? previous : undefined),
    enabled: xKey !== null && runIds.length > 0,
  });
  const chart = useMemo(() => {
    if (!query.data || (xKey !== null && !xQuery.data)) return null;
    const grouped = seriesFromColumns(query.data, runIds);
    const xByRun =
      xQuery.data && xKey !== null ? new Map(seriesFromColumns(xQuery.data, runIds).map((s) => [s.runId, s])) : null;
    const lines: LineSeries[] = [];
    const xy: { xs: number[]; ys: (number | null)[] }[] = [];
    const legend: { id: string; color: string; name: string }[] = [];
    const withoutX: string[] = [];
    let unpaired = 0;
    let points = 0;
    const sparse = grouped.every((s) => s.steps.length < 60);
    grouped.forEach((s, i) => {
      const color = runColors?.[s.runId] ?? colorFor(i);
      const name = runLabels[s.runId] ?? s.runId.slice(0, 8);
      let xs: number[];
      let ys: number[];
      if (xByRun) {
        const xSeries = xByRun.get(s.runId);
        if (!xSeries || xSeries.steps.length === 0) {
          withoutX.push(name);
          return;
        }
        const paired = pairByStep(s, xSeries);
        unpaired += paired.unpaired;
        ({ xs, ys } = paired);
      } else {
        xs = xValues(s, xMode as TimeXMode);
        ys = s.values;
      }
      points += xs.length;
      legend.push({ id: s.runId, color, name });
      // Several runs on different steps can multiply the union of x values: keep each line to ~2 points per pixel bucket.
      const reduced = downsampleMinMax(xs, ys, 1500);
      if (smoothing > 0) {
        xy.push({ xs: reduced.xs, ys: reduced.ys });
        lines.push({ label: `${name} (raw)`, color, faint: true, width: 1 });
        xy.push({ xs: reduced.xs, ys: ema(reduced.ys, smoothing) });
        lines.push({ label: name, color, width: 2, points: sparse });
      } else {
        xy.push(reduced);
        lines.push({ label: name, color, points: sparse });
      }
    });
    const last = grouped.map((s) => s.values[s.values.length - 1]);
    return { data: alignSeries(snapToSharedGrid(xy, 1500)), lines, last, points, legend, withoutX, unpaired };
  }, [query.data, xQuery.data, xKey, runIds, runLabels, runColors, smoothing, xMode]);

  const xLabel = xModeLabel(xMode);
  // A drag re-requests a step range, which only a step axis maps to; on other axes uPlot zooms the drawn points in place.
  const canZoom = xMode === 'step' && onZoom;
  const error = query.error ?? xQuery.error;
  const pending = query.isPending || (xKey !== null && xQuery.isPending);
  const fetching = query.isFetching || xQuery.isFetching;
  return (
    <div className="chart-card" data-metric={metricKey}>
      <h3>
        <span className="mono">{metricKey}</span>
        <span className="chart-summary">
          {chart ? `${chart.points} points` : ''}
          {range ? ` · steps ${Math.round(range[0])}–${Math.round(range[1])}` : ''}
          {fetching && !pending ? ' · updating…' : ''}
        </span>
      </h3>
      <ErrorBox error={error} />
      {pending ? (
        <Loading label="Loading history…" />
      ) : chart && chart.points > 0 ? (
        <>
          <LineChart
            data={chart.data}
            series={chart.lines}
            label={`${metricKey} by ${xLabel}`}
            xLabel={xLabel}
            xTime={xMode === 'wall'}
            logY={logY}
            onZoom={canZoom ? (min, max) => onZoom([Math.floor(min), Math.ceil(max)]) : undefined}
          />
          {runIds.length === 1 ? (
            <p className="chart-summary">Latest: {formatNumber(chart.last[0])}</p>
          ) : (
            <div className="legend">
              {chart.legend.map((r) => (
                <span key={r.id}>
                  <span className="swatch" style={{ background: r.color }} />
                  {r.name}
                </span>
              ))}
            </div>
          )}
          <LeftOutNote xKey={xKey} runs={chart.withoutX} points={chart.unpaired} />
          {range && onZoom ? (
            <button type="button" onClick={() => onZoom(null)}>
              Reset zoom
            </button>
          ) : canZoom ? (
            <p className="chart-summary">Drag across the chart to zoom into a step range.</p>
          ) : null}
        </>
      ) : (
        <>
          <p className="muted">No points in this range.</p>
          {chart ? <LeftOutNote xKey={xKey} runs={chart.withoutX} points={chart.unpaired} /> : null}
        </>
      )}
    </div>
  );
}

/** What a metric x axis could not draw, said rather than dropped silently. */
function LeftOutNote({ xKey, runs, points }: { xKey: string | null; runs: string[]; points: number }) {
  if (xKey === null || (runs.length === 0 && points === 0)) return null;
  const names = runs.length > 5 ? `${runs.slice(0, 5).join(', ')} and ${runs.length - 5} more` : runs.join(', ');
  return (
    <p className="chart-summary" data-testid="x-metric-note">
      {runs.length > 0 ? `Left out, no ${xKey} logged: ${names}. ` : ''}
      {points > 0 ? `${points} points without a ${xKey} value at or before their step not drawn.` : ''}
    </p>
  );
}
