import type { XMode } from '../../lib/series.ts';
import { type Field, flag, list, num, oneOf, optNum, str } from '../../lib/url-state.ts';
import { parseXMode } from '../../lib/x-metric.ts';

/** The charts' x axis: `step`, `relative`, `wall` or `metric:<key>`; anything else reads as `step`. */
const xAxis: Field<XMode> = { initial: 'step', decode: (v) => parseXMode(v[0]), encode: (v) => [v] };

export const RUN_TABS = [
  ['overview', 'Overview'],
  ['params', 'Parameters'],
  ['metrics', 'Metrics'],
  ['charts', 'Charts'],
  ['media', 'Media'],
  ['artifacts', 'Artifacts'],
  ['tags', 'Tags'],
] as const;

export type RunTab = (typeof RUN_TABS)[number][0];

const runTab = oneOf(
  RUN_TABS.map(([t]) => t),
  'overview',
);
/** The tab; `images` is the media tab's name before it showed more than images (old links). */
const tab: Field<RunTab> = { ...runTab, decode: (v) => (v[0] === 'images' ? 'media' : runTab.decode(v)) };

/** The run page's URL state: the tab and each tab's own controls. */
export const runSpec = {
  tab,
  pq: str(),
  /** The overview's search over params, metrics and tags. */
  oq: str(),
  m: list(),
  from: optNum(),
  to: optNum(),
  smooth: num(0),
  x: xAxis,
  log: flag(),
  /** Log scale x and "ignore outliers" on the charts tab. */
  logx: flag(),
  clip: flag(),
  path: str(),
  /** The media tab's step (named when it showed only images). */
  istep: optNum(),
};
