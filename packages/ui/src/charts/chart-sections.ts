/**
 * The experiment charts panel without a chosen layout: one line chart per metric, grouped into
 * sections by the key's first path segment (`val/loss` with `val/accuracy`), hardware metrics
 * (`system/…`) in their own section, folded. Sections are derived from the charts, so a saved
 * layout keeps them without storing them.
 */
import { type ChartLayout, type ChartSpec, DEFAULT_MAX_RUNS } from './chart-layout.ts';

/** Non-line charts (scatter, parallel coordinates, …) share one section; no metric segment can be `/`. */
export const CUSTOM_SECTION = '/';
export const SYSTEM_SECTION = 'system';
/** Line charts the derived layout starts with at most, per kind, so a wide experiment stays quick to open. */
export const DEFAULT_LINE_CHARTS = 24;
export const DEFAULT_SYSTEM_CHARTS = 12;

/** `val/loss` → `val`; a key without `/` → `` (the plain "Metrics" section). */
export function metricSection(key: string): string {
  const slash = key.indexOf('/');
  return slash > 0 ? key.slice(0, slash) : '';
}

export function chartSection(spec: ChartSpec): string {
  return spec.type === 'line' ? metricSection(spec.metric) : CUSTOM_SECTION;
}

export function sectionTitle(key: string): string {
  if (key === CUSTOM_SECTION) return 'Custom charts';
  if (key === '') return 'Metrics';
  if (key === SYSTEM_SECTION) return 'System metrics';
  return `${key}/`;
}

export const lineChart = (metric: string): ChartSpec => ({
  type: 'line',
  metric,
  x: 'step',
  smoothing: 0,
  logY: false,
  logX: false,
  clip: false,
});

/** One line chart per metric key (sorted, capped), system metrics last and folded. */
export function defaultChartLayout(metricKeys: readonly string[]): ChartLayout {
  const sorted = [...new Set(metricKeys)].sort();
  const system = sorted.filter((k) => metricSection(k) === SYSTEM_SECTION).slice(0, DEFAULT_SYSTEM_CHARTS);
  const other = sorted.filter((k) => metricSection(k) !== SYSTEM_SECTION).slice(0, DEFAULT_LINE_CHARTS);
  return {
    version: 1,
    charts: [...other, ...system].map(lineChart),
    maxRuns: DEFAULT_MAX_RUNS,
    collapsed: system.length > 0 ? [SYSTEM_SECTION] : [],
  };
}

export interface ChartSectionView {
  key: string;
  title: string;
  /** The section's charts with their index in the layout (edits address charts by index). */
  charts: { spec: ChartSpec; index: number }[];
  collapsed: boolean;
}

/** Order: custom charts, plain metrics, prefixed sections alphabetically, system metrics last. */
function sectionRank(key: string): string {
  if (key === CUSTOM_SECTION) return '0';
  if (key === '') return '1';
  if (key === SYSTEM_SECTION) return '3';
  return `2${key}`;
}

/** The layout's charts split into sections, each chart keeping its layout order within its section. */
export function chartSections(layout: ChartLayout): ChartSectionView[] {
  const byKey = new Map<string, ChartSectionView>();
  layout.charts.forEach((spec, index) => {
    const key = chartSection(spec);
    let section = byKey.get(key);
    if (!section) {
      section = { key, title: sectionTitle(key), charts: [], collapsed: layout.collapsed.includes(key) };
      byKey.set(key, section);
    }
    section.charts.push({ spec, index });
  });
  return [...byKey.values()].sort((a, b) => (sectionRank(a.key) < sectionRank(b.key) ? -1 : 1));
}

/** The layout with `key` folded or unfolded. */
export function withSectionCollapsed(layout: ChartLayout, key: string, collapsed: boolean): ChartLayout {
  const rest = layout.collapsed.filter((k) => k !== key);
  return { ...layout, collapsed: collapsed ? [...rest, key] : rest };
}
