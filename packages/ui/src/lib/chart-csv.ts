/** The data a line chart draws, as CSV (one row per run and point), for its "Export CSV" button. */

export interface CsvSeries {
  runId: string;
  run: string;
  xs: readonly number[];
  ys: readonly (number | null)[];
  /** The smoothed line drawn over the raw one, when smoothing is on. */
  smoothed?: readonly (number | null)[];
}

const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

export function chartCsv(metric: string, xLabel: string, series: readonly CsvSeries[]): string {
  const smoothed = series.some((s) => s.smoothed);
  const header = ['run_id', 'run', xLabel, metric, ...(smoothed ? [`${metric} (smoothed)`] : [])];
  const lines = [header.map(quote).join(',')];
  for (const s of series)
    for (let i = 0; i < s.xs.length; i++) {
      const row = [s.runId, s.run, num(s.xs[i]), num(s.ys[i]), ...(smoothed ? [num(s.smoothed?.[i])] : [])];
      lines.push(row.map(quote).join(','));
    }
  return `${lines.join('\n')}\n`;
}
