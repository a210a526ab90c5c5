import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './line-chart.css';
import './charts.css';
import { cssVar, useTheme } from '../app/theme.ts';
import { HoverRanker, type HoverSeries } from '../lib/chart-hover.ts';
import type { AlignedData } from '../lib/series.ts';
import { type HoverState, hoverPlugin } from './hover-plugin.ts';

export interface LineSeries {
  label: string;
  color: string;
  width?: number;
  /** Drawn faint (the raw line behind a smoothed one). */
  faint?: boolean;
  /** Mark each point (sparse series, where a line alone could be invisible). */
  points?: boolean;
}

export interface LineChartProps {
  /** Already downsampled and aligned data: this component only draws. */
  data: AlignedData;
  series: LineSeries[];
  /** Accessible name of the chart. */
  label: string;
  xLabel: string;
  xTime?: boolean;
  logY?: boolean;
  logX?: boolean;
  /** A fixed y range (outliers ignored); null: fit the data. */
  yRange?: [number, number] | null;
  height?: number;
  /** Per-run points for the hover tooltip, with the uPlot series index (1-based) of each run's main line. */
  hover?: { series: HoverSeries[]; seriesIndex: number[] };
  formatX?: (x: number) => string;
  /** Called with the x range the user dragged over; without it, dragging zooms locally. */
  onZoom?: (min: number, max: number) => void;
}

/** A pure uPlot line chart: recreated when its shape changes, fed new data in place otherwise. */
export default function LineChart({
  data,
  series,
  label,
  xLabel,
  xTime = false,
  logY = false,
  logX = false,
  yRange = null,
  height = 260,
  hover,
  formatX = String,
  onZoom,
}: LineChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;
  const hoverState = useMemo<HoverState | null>(
    () => (hover ? { ranker: new HoverRanker(hover.series), seriesIndex: hover.seriesIndex, xLabel, formatX } : null),
    [hover, xLabel, formatX],
  );
  const hoverRef = useRef(hoverState);
  hoverRef.current = hoverState;
  const theme = useTheme();
  const shape = JSON.stringify([series, xLabel, xTime, logY, logX, yRange, height, theme, !!onZoom]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `shape` stands for the options; data is set separately
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axis = cssVar('--chart-axis');
    const grid = cssVar('--chart-grid');
    const axisOpts = { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height,
      scales: {
        x: { time: xTime, distr: logX ? 3 : 1 },
        y: { distr: logY ? 3 : 1, ...(yRange ? { range: () => yRange } : {}) },
      },
      axes: [
        { ...axisOpts, label: xLabel, labelSize: 20 },
        { ...axisOpts, size: 64 },
      ],
      series: [
        { label: xLabel },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.faint ? `${s.color}55` : s.color,
          width: s.width ?? 1.5,
          spanGaps: true,
          points: { show: !!s.points, size: 5 },
        })),
      ],
      // Other runs' lines fade while one is highlighted (hover here, in another chart, or its table row).
      focus: { alpha: 0.15 },
      legend: { show: series.length <= 4 },
      cursor: {
        drag: { x: true, y: false, setScale: !zoom.current },
        focus: { prox: -1 },
        // Per-series cursor dots cost a DOM node each per move; the tooltip names the values instead.
        points: { show: series.length <= 8 },
      },
      plugins: [hoverPlugin(() => hoverRef.current)],
      hooks: {
        setSelect: [
          (u) => {
            if (!zoom.current || u.select.width < 3) return;
            const min = u.posToVal(u.select.left, 'x');
            const max = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current(min, max);
          },
        ],
      },
    };
    const u = new uPlot(opts, data as uPlot.AlignedData, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(el.clientWidth, 200), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return <div ref={host} className="chart-host" role="img" aria-label={label} />;
}
