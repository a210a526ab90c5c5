/** The runs table's chosen columns as the URL holds them (`col=`), and the defaults when it holds none. Pure. */
import type { Run } from '../../api/types.ts';
import { type DataGroup, GROUPS } from './run-values.ts';

/** `col=*`: every key of the experiment. Thousands of `col=` entries would outgrow a URL. */
export const ALL_COLUMNS = '*';

/** Metric keys the chooser keeps in their own group and the defaults leave out (MLflow's system metrics). */
export const isSystemMetric = (key: string) => key.startsWith('system/');

const MAX_DEFAULT_METRICS = 6;
const MAX_DEFAULT_PARAMS = 6;
/** From this many runs on, a whole-number param with a different value in every run reads as an id (a seed), not a setting. */
const ID_LIKE_FROM = 20;

/**
 * The column ids to show: the URL's list, every key of `keys` for `*`, or, when the URL has none,
 * `defaults` (see {@link chooseDefaultColumns}).
 */
export function expandColumns(
  col: readonly string[] | null | undefined,
  keys: Record<DataGroup, string[]>,
  defaults: readonly string[],
): string[] {
  if (!col) return [...defaults];
  if (col.includes(ALL_COLUMNS)) return GROUPS.flatMap((g) => keys[g].map((k) => `${g}.${k}`));
  return [...col];
}

/**
 * The columns a table shows before the user picks any, from the runs at hand:
 * - metrics named by the sort or the filter first, then the metrics most runs logged (ties by
 *   name), `system/*` left out;
 * - params whose values differ between the runs, those with fewest distinct values first (the
 *   settings a sweep varies); a param with one value everywhere says nothing, and an integer
 *   param unique to every run of many (a seed) is an identifier rather than a setting.
 */
export function chooseDefaultColumns(
  runs: readonly Run[],
  named: { sort?: readonly { id: string }[]; filter?: string } = {},
): string[] {
  const metricRuns = new Map<string, number>();
  const paramValues = new Map<string, string[]>();
  for (const run of runs) {
    for (const m of run.data.metrics ?? []) metricRuns.set(m.key, (metricRuns.get(m.key) ?? 0) + 1);
    for (const p of run.data.params ?? []) {
      const values = paramValues.get(p.key);
      if (values) values.push(p.value);
      else paramValues.set(p.key, [p.value]);
    }
  }
  const nameOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const metrics = [...metricRuns.keys()]
    .filter((k) => !isSystemMetric(k))
    .sort((a, b) => (metricRuns.get(b) ?? 0) - (metricRuns.get(a) ?? 0) || nameOrder(a, b))
    .slice(0, MAX_DEFAULT_METRICS);
  const distinct = new Map([...paramValues].map(([k, values]) => [k, new Set(values).size]));
  const params = [...paramValues]
    .filter(([k, values]) => {
      const n = distinct.get(k) ?? 0;
      if (n < 2) return false;
      const idLike = values.length >= ID_LIKE_FROM && n === values.length && values.every((v) => /^-?\d+$/.test(v));
      return !idLike;
    })
    .map(([k]) => k)
    .sort((a, b) => (distinct.get(a) ?? 0) - (distinct.get(b) ?? 0) || nameOrder(a, b))
    .slice(0, MAX_DEFAULT_PARAMS);
  const first = namedMetrics(named);
  return [
    ...first.map((k) => `metrics.${k}`),
    ...metrics.filter((k) => !first.includes(k)).map((k) => `metrics.${k}`),
    ...params.map((k) => `params.${k}`),
  ];
}

/** Metric keys the sort (`metrics.loss`) or the filter text (`metrics.loss < 1`, `` metrics.`val loss` ``) names. */
export function namedMetrics({
  sort = [],
  filter = '',
}: {
  sort?: readonly { id: string }[];
  filter?: string;
}): string[] {
  const out: string[] = [];
  for (const s of sort) if (s.id.startsWith('metrics.')) out.push(s.id.slice('metrics.'.length));
  for (const m of filter.matchAll(/\bmetrics?\.(?:`([^`]+)`|"([^"]+)"|([\w/.-]+))/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return [...new Set(out)];
}
