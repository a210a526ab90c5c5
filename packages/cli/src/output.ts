import { stringifyJson } from '@trove/protocol';

/** Prints `value` as one line of JSON (int64 values beyond 2^53 as bare numbers). */
export function printJson(value: unknown): void {
  process.stdout.write(`${stringifyJson(value)}\n`);
}

/**
 * Prints rows as columns aligned with spaces under upper-case headers: readable, and still
 * splittable by `awk` because no cell holds a line break (they are shown as `⏎`).
 */
export function printTable(headers: string[], rows: (string | number | undefined)[][]): void {
  const cells = rows.map((r) => headers.map((_, i) => String(r[i] ?? '').replace(/\r?\n/g, '⏎')));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(headers.map((h) => h.toUpperCase())), ...cells.map(line)].join('\n')}\n`);
}

/** An epoch-milliseconds time as `2026-03-02 10:00:00` (UTC), blank when absent. */
export function formatTime(ms: number | bigint | undefined): string {
  if (ms === undefined || ms === null || Number(ms) === 0) return '';
  return new Date(Number(ms))
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '');
}
