import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { getMetricChart } from '../api/charts.ts';
import { ErrorBox, Loading } from '../components/status.tsx';
import { formatNumber } from '../lib/format.ts';
import { alignSeries, downsampleMinMax, seriesFromColumns, type XMode, xValues } from '../lib/series.ts';
import { ema } from '../lib/smoothing.ts';
import LineChart, { type LineSeries } from './LineChart.tsx';
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
 * the same response. Zooming (drag across the plot) asks again for just that step range, which
 * returns it at full detail once it is small.
 */
export default function MetricChart({ metricKey, runIds, runLabels, runColors, range, onZoom, smoothing, xMode, logY, maxPoints = 1000 }: MetricChartProps) {
  const query = useQuery({
    queryKey: ['metric-chart', metricKey, runIds, range, maxPoints],
    queryFn: ({ signal }) => getMetricChart({ runIds, key: metricKey, startStep: range?.[0], endStep: range?.[1], points: maxPoints }, signal),
    placeholderData: keepPreviousData,
    enabled: runIds.length > 0,
  });
  const chart = useMemo(() => {
    if (!query.data) return null;
    const grouped = seriesFromColumns(query.data, runIds);
    const lines: LineSeries[] = [];
    const xy: { xs: number[]; ys: (number | null)[] }[] = [];
    const sparse = grouped.every((s) => s.steps.length < 60);
    grouped.forEach((s, i) => {
      const color = runColors?.[s.runId] ?? colorFor(i);
      const name = runLabels[s.runId] ?? s.runId.slice(0, 8);
      // Several runs on different steps can multiply the union of x values: keep each line to ~2 points per pixel bucket.
      const reduced = downsampleMinMax(xValues(s, xMode), s.values, 1500);
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
    const points = grouped.reduce((n, s) => n + s.steps.length, 0);
    return { data: alignSeries(xy), lines, last, points };
  }, [query.data, runIds, runLabels, runColors, smoothing, xMode]);

  const xLabel = xMode === 'step' ? 'step' : xMode === 'relative' ? 'seconds since start' : 'time';
  const canZoom = xMode === 'step' && onZoom;
  return (
    <div className="chart-card" data-metric={metricKey}>
      <h3>
        <span className="mono">{metricKey}</span>
        <span className="chart-summary">
          {chart ? `${chart.points} points` : ''}
          {range ? ` · steps ${Math.round(range[0])}–${Math.round(range[1])}` : ''}
          {query.isFetching && !query.isPending ? ' · updating…' : ''}
        </span>
      </h3>
      <ErrorBox error={query.error} />
      {query.isPending ? (
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
              {runIds.map((id, i) => (
                <span key={id}>
                  <span className="swatch" style={{ background: runColors?.[id] ?? colorFor(i) }} />
                  {runLabels[id] ?? id.slice(0, 8)}
                </span>
              ))}
            </div>
          )}
          {range && onZoom ? (
            <button type="button" onClick={() => onZoom(null)}>
              Reset zoom
            </button>
          ) : canZoom ? (
            <p className="chart-summary">Drag across the chart to zoom into a step range.</p>
          ) : null}
        </>
      ) : (
        <p className="muted">No points in this range.</p>
      )}
    </div>
  );
}
