import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorBox, Loading } from '../components/status.tsx';
import { type CsvSeries, chartCsv } from '../lib/chart-csv.ts';
import type { HoverSeries } from '../lib/chart-hover.ts';
import { formatNumber } from '../lib/format.ts';
import { clippedRange } from '../lib/outliers.ts';
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
import { ChartLegend, type LegendEntry } from './ChartLegend.tsx';
import { ChartTools, type LineOptions } from './ChartTools.tsx';
import { chartPng, downloadBlob, fileStem } from './chart-export.ts';
import LineChart, { type LineSeries } from './LineChart.tsx';
import { metricChartQuery } from './metric-chart-query.ts';
import { colorForId } from './palette.ts';

export interface MetricChartProps {
  metricKey: string;
  runIds: string[];
  /** Display names per run id. */
  runLabels: Record<string, string>;
  /** Colours per run id (the runs table's swatches); runs without one take their id's palette colour. */
  runColors?: Readonly<Record<string, string>>;
  /** Step range to request (zoom); null = the whole history. */
  range: [number, number] | null;
  onZoom?: (range: [number, number] | null) => void;
  smoothing: number;
  xMode: XMode;
  logY: boolean;
  logX?: boolean;
  /** Ignore outliers: fit y to the middle of the drawn values. */
  clip?: boolean;
  /** Where the chart's log/outlier toggles write (the page's URL or layout); without it they are not offered. */
  onOptions?: (patch: Partial<LineOptions>) => void;
  /** Points per run the server sends at most (each step bucket's first, min, max and last); a range holding fewer comes whole. */
  maxPoints?: number;
  /** More header controls (the experiment panel's settings and remove buttons). */
  actions?: ReactNode;
}

const formatStep = (x: number) => formatNumber(Math.round(x));
const formatWall = (x: number) => new Date(x * 1000).toLocaleString();
const formatX = (mode: XMode) => (mode === 'step' ? formatStep : mode === 'wall' ? formatWall : formatNumber);

/**
 * One metric for one or more runs, drawn from Trove's chart endpoint (`/api/trove/v1/metrics/chart`):
 * the server downsamples each run to at most `maxPoints` points keeping spikes (min/max per step
 * bucket, from chunk summaries over long ranges), so the chart never waits for a full history.
 * Steps and timestamps come with every point, so step, wall-time and relative-time axes draw from
 * the same response. With another metric on the x axis (`metric:<key>`), that metric is read too and
 * each point drawn at its value at the same (or nearest earlier) step (`pairByStep`). Zooming (drag
 * across a step axis) asks again for just that step range, which returns it at full detail once it
 * is small. Hovering lists the runs at the pointer's x and highlights the nearest (`hover-plugin.ts`).
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
  logX = false,
  clip = false,
  onOptions,
  maxPoints = 1000,
  actions,
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
  // Log x has no place for a wall-clock axis (seconds since 1970) and drops x ≤ 0 (step 0) elsewhere.
  const canLogX = xMode !== 'wall';
  const useLogX = logX && canLogX;
  const chart = useMemo(() => {
    if (!query.data || (xKey !== null && !xQuery.data)) return null;
    const grouped = seriesFromColumns(query.data, runIds);
    const xByRun =
      xQuery.data && xKey !== null ? new Map(seriesFromColumns(xQuery.data, runIds).map((s) => [s.runId, s])) : null;
    const lines: LineSeries[] = [];
    const xy: { xs: number[]; ys: (number | null)[] }[] = [];
    const legend: LegendEntry[] = [];
    const hover: HoverSeries[] = [];
    const seriesIndex: number[] = [];
    const csv: CsvSeries[] = [];
    const withoutX: string[] = [];
    let unpaired = 0;
    let points = 0;
    const sparse = grouped.every((s) => s.steps.length < 60);
    for (const s of grouped) {
      const color = runColors?.[s.runId] ?? colorForId(s.runId);
      const name = runLabels[s.runId] ?? s.runId.slice(0, 8);
      let xs: number[];
      let ys: number[];
      if (xByRun) {
        const xSeries = xByRun.get(s.runId);
        if (!xSeries || xSeries.steps.length === 0) {
          withoutX.push(name);
          continue;
        }
        const paired = pairByStep(s, xSeries);
        unpaired += paired.unpaired;
        ({ xs, ys } = paired);
      } else {
        xs = xValues(s, xMode as TimeXMode);
        ys = s.values;
      }
      if (useLogX) [xs, ys] = positiveX(xs, ys);
      if (xs.length === 0) continue;
      points += xs.length;
      legend.push({ id: s.runId, color, name });
      // Several runs on different steps can multiply the union of x values: keep each line to ~2 points per pixel bucket.
      const reduced = downsampleMinMax(xs, ys, 1500);
      if (smoothing > 0) {
        const smoothed = ema(reduced.ys, smoothing);
        xy.push({ xs: reduced.xs, ys: reduced.ys });
        lines.push({ label: `${name} (raw)`, color, faint: true, width: 1 });
        xy.push({ xs: reduced.xs, ys: smoothed });
        lines.push({ label: name, color, width: 2, points: sparse });
        hover.push({ runId: s.runId, label: name, color, xs: reduced.xs, ys: smoothed });
        csv.push({ runId: s.runId, run: name, xs: reduced.xs, ys: reduced.ys, smoothed });
      } else {
        xy.push(reduced);
        lines.push({ label: name, color, points: sparse });
        hover.push({ runId: s.runId, label: name, color, xs: reduced.xs, ys: reduced.ys });
        csv.push({ runId: s.runId, run: name, xs: reduced.xs, ys: reduced.ys });
      }
      seriesIndex.push(lines.length);
    }
    const last = grouped.map((s) => s.values[s.values.length - 1]);
    return {
      data: alignSeries(snapToSharedGrid(xy, 1500)),
      lines,
      last,
      points,
      legend,
      hover: { series: hover, seriesIndex },
      yRange: clip
        ? clippedRange(
            xy.map((l) => l.ys),
            0.02,
            0.98,
            logY,
          )
        : null,
      csv,
      withoutX,
      unpaired,
    };
  }, [query.data, xQuery.data, xKey, runIds, runLabels, runColors, smoothing, xMode, useLogX, clip, logY]);

  const [full, setFull] = useState(false);
  useEffect(() => {
    if (!full) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setFull(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [full]);
  const card = useRef<HTMLDivElement>(null);
  const xLabel = xModeLabel(xMode);
  const exportPng = async () => {
    const canvas = card.current?.querySelector<HTMLCanvasElement>('.chart-host canvas');
    const blob = canvas ? await chartPng(canvas, `${metricKey} by ${xLabel}`, chart?.legend ?? []) : null;
    if (blob) downloadBlob(`${fileStem(metricKey)}.png`, blob);
  };
  const exportCsv = () => {
    if (!chart) return;
    const text = chartCsv(metricKey, xLabel, chart.csv);
    downloadBlob(`${fileStem(metricKey)}.csv`, new Blob([text], { type: 'text/csv' }));
  };

  // A drag re-requests a step range, which only a step axis maps to; on other axes uPlot zooms the drawn points in place.
  const canZoom = xMode === 'step' && onZoom;
  const error = query.error ?? xQuery.error;
  const pending = query.isPending || (xKey !== null && xQuery.isPending);
  const fetching = query.isFetching || xQuery.isFetching;
  return (
    <div ref={card} className={full ? 'chart-card chart-full' : 'chart-card'} data-metric={metricKey}>
      <h3>
        <span className="mono chart-title">{metricKey}</span>
        <span className="chart-summary">
          {chart ? `${chart.points} points` : ''}
          {range ? ` · steps ${Math.round(range[0])}–${Math.round(range[1])}` : ''}
          {fetching && !pending ? ' · updating…' : ''}
        </span>
      </h3>
      <div className="chart-bar">
        <ChartTools
          options={{ logX: useLogX, logY, clip }}
          onOptions={onOptions}
          canLogX={canLogX}
          full={full}
          onFull={setFull}
          onPng={() => void exportPng()}
          onCsv={exportCsv}
        />
        {actions}
      </div>
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
            logX={useLogX}
            yRange={chart.yRange}
            height={full ? Math.max(300, window.innerHeight - 220) : 260}
            hover={chart.hover}
            formatX={formatX(xMode)}
            onZoom={canZoom ? (min, max) => onZoom([Math.floor(min), Math.ceil(max)]) : undefined}
          />
          {runIds.length === 1 ? (
            <p className="chart-summary">Latest: {formatNumber(chart.last[0])}</p>
          ) : (
            <ChartLegend entries={chart.legend} />
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

/** The points with x > 0, which a log x axis can place. */
function positiveX(xs: number[], ys: number[]): [number[], number[]] {
  const first = xs.findIndex((x) => x > 0);
  if (first === 0) return [xs, ys];
  if (first < 0) return [[], []];
  return [xs.slice(first), ys.slice(first)];
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
