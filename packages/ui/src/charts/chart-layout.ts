/**
 * The experiment page's charts panel as plain JSON: which charts, over which fields, in which
 * order. It lives in the URL (`?charts=<json>`) and is what a saved view stores, so it must stay
 * serialisable and tolerant: `parseChartLayout` drops what it does not understand instead of failing.
 *
 * Fields are column ids as the runs table uses them: `metrics.<key>`, `params.<key>`, `tags.<key>`.
 */
import type { ScaleOverrides } from '../lib/axis-scale.ts';
import type { Brushes } from '../lib/brushing.ts';
import type { XMode } from '../lib/series.ts';
import type { Field } from '../lib/url-state.ts';
import { parseXMode } from '../lib/x-metric.ts';

/** A line chart's x axis: `step`, `relative`, `wall`, or `metric:<key>` (another metric, paired by step). */
export type LineX = XMode;

export type ChartSpec =
  /** One metric's history for every charted run. `metric` is the bare metric key; `clip` ignores outliers. */
  | { type: 'line'; metric: string; x: LineX; smoothing: number; logY: boolean; logX: boolean; clip: boolean }
  | { type: 'bar'; field: string }
  | { type: 'scatter'; x: string; y: string }
  /** `scales`: the user's linear/log choice per axis; `color`: the field lines are coloured by (`run`: run colours; absent: the first metric axis). */
  | { type: 'parallel'; axes: string[]; brushes: Brushes; scales?: ScaleOverrides; color?: string }
  | { type: 'contour'; x: string; y: string; z: string }
  | { type: 'box'; group: string; field: string };

export type ChartType = ChartSpec['type'];
export const CHART_TYPES: readonly ChartType[] = ['line', 'bar', 'scatter', 'parallel', 'contour', 'box'];

export interface ChartLayout {
  version: 1;
  charts: ChartSpec[];
  /** At most this many runs (the first in the table's order) are charted. */
  maxRuns: number;
  /** Sections of the panel shown folded (`chartSection` keys). */
  collapsed: string[];
}

export const DEFAULT_MAX_RUNS = 100;
export const EMPTY_LAYOUT: ChartLayout = { version: 1, charts: [], maxRuns: DEFAULT_MAX_RUNS, collapsed: [] };

const isStr = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One chart from untrusted JSON, or null when it is not a chart this UI can draw. */
export function parseChartSpec(raw: unknown): ChartSpec | null {
  if (!isObj(raw)) return null;
  switch (raw.type) {
    case 'line': {
      if (!isStr(raw.metric)) return null;
      const x = parseXMode(raw.x);
      const smoothing =
        typeof raw.smoothing === 'number' && raw.smoothing >= 0 && raw.smoothing < 1 ? raw.smoothing : 0;
      return {
        type: 'line',
        metric: raw.metric,
        x,
        smoothing,
        logY: raw.logY === true,
        logX: raw.logX === true,
        clip: raw.clip === true,
      };
    }
    case 'bar':
      return isStr(raw.field) ? { type: 'bar', field: raw.field } : null;
    case 'scatter':
      return isStr(raw.x) && isStr(raw.y) ? { type: 'scatter', x: raw.x, y: raw.y } : null;
    case 'contour':
      return isStr(raw.x) && isStr(raw.y) && isStr(raw.z) ? { type: 'contour', x: raw.x, y: raw.y, z: raw.z } : null;
    case 'box':
      return isStr(raw.group) && isStr(raw.field) ? { type: 'box', group: raw.group, field: raw.field } : null;
    case 'parallel': {
      const axes = Array.isArray(raw.axes) ? raw.axes.filter(isStr) : [];
      if (axes.length < 2) return null;
      const brushes: Brushes = {};
      if (isObj(raw.brushes)) {
        for (const [f, r] of Object.entries(raw.brushes)) {
          if (
            Array.isArray(r) &&
            r.length === 2 &&
            r.every((v) => typeof v === 'number' && v >= 0 && v <= 1) &&
            r[0] <= r[1]
          )
            brushes[f] = [r[0], r[1]];
        }
      }
      const spec: ChartSpec = { type: 'parallel', axes, brushes };
      if (isObj(raw.scales)) {
        const scales = Object.fromEntries(
          Object.entries(raw.scales).filter(([, v]) => v === 'log' || v === 'linear'),
        ) as ScaleOverrides;
        if (Object.keys(scales).length > 0) spec.scales = scales;
      }
      if (isStr(raw.color)) spec.color = raw.color;
      return spec;
    }
    default:
      return null;
  }
}

/** A layout from untrusted JSON (a URL, a saved view): unknown charts are dropped, missing settings take defaults. */
export function parseChartLayout(raw: unknown): ChartLayout {
  if (!isObj(raw)) return EMPTY_LAYOUT;
  const charts = Array.isArray(raw.charts)
    ? raw.charts.map(parseChartSpec).filter((c): c is ChartSpec => c !== null)
    : [];
  const maxRuns =
    typeof raw.maxRuns === 'number' &&
    Number.isInteger(raw.maxRuns) &&
    raw.maxRuns >= 1 &&
    raw.maxRuns <= DEFAULT_MAX_RUNS
      ? raw.maxRuns
      : DEFAULT_MAX_RUNS;
  const collapsed = Array.isArray(raw.collapsed) ? raw.collapsed.filter((c): c is string => typeof c === 'string') : [];
  return { version: 1, charts, maxRuns, collapsed };
}

/**
 * The URL field holding a layout as one JSON parameter. Absent (`null`) means "none chosen": the
 * page derives one from the experiment's metrics (`defaultChartLayout`). A layout the user emptied
 * is kept, so removing every chart does not bring the defaults back.
 */
export function chartLayoutField(): Field<ChartLayout | null> {
  return {
    initial: null,
    decode: (v) => {
      if (!v[0]) return null;
      try {
        return parseChartLayout(JSON.parse(v[0]));
      } catch {
        return null;
      }
    },
    encode: (layout) => (layout ? [JSON.stringify(layout)] : []),
  };
}

/** The field's key without its group prefix (`params.lr` → `lr`). */
export function fieldKey(field: string): string {
  const dot = field.indexOf('.');
  return dot < 0 ? field : field.slice(dot + 1);
}

/** A short heading for a chart. */
export function chartTitle(spec: ChartSpec): string {
  switch (spec.type) {
    case 'line':
      return spec.metric;
    case 'bar':
      return fieldKey(spec.field);
    case 'scatter':
      return `${fieldKey(spec.y)} vs ${fieldKey(spec.x)}`;
    case 'contour':
      return `${fieldKey(spec.z)} over ${fieldKey(spec.x)} × ${fieldKey(spec.y)}`;
    case 'box':
      return `${fieldKey(spec.field)} by ${fieldKey(spec.group)}`;
    case 'parallel':
      return `Parallel coordinates (${spec.axes.length} axes)`;
  }
}

/** Metric keys split into hardware metrics (`system/…`, MLflow's system-metrics logger) and the rest. */
export function splitSystemMetrics(keys: readonly string[]): { system: string[]; other: string[] } {
  return { system: keys.filter((k) => k.startsWith('system/')), other: keys.filter((k) => !k.startsWith('system/')) };
}
