import type { Run } from '@trove/protocol';

/**
 * The runs table as CSV (RFC 4180): one header line, one line per run. Pure; the route pages
 * through the search and writes these lines as they come.
 */

/** Columns every export starts with, so a row can always be traced back to its run. */
const LEADING = ['attributes.run_id', 'attributes.run_name'];

const ATTRIBUTE_HEADERS: Record<string, string> = {
  'attributes.run_id': 'run_id',
  'attributes.run_name': 'run_name',
  'attributes.status': 'status',
  'attributes.start_time': 'start_time',
  'attributes.end_time': 'end_time',
  duration: 'duration_s',
  'attributes.user_id': 'user',
  'tag-chips': 'tags',
};

const DATA_GROUPS = ['metrics.', 'params.', 'tags.'] as const;

/** The columns an export writes: run id and name first, then `requested` in order, each once; unknown ids are left out. */
export function csvColumns(requested: readonly string[]): string[] {
  const known = (id: string) =>
    id in ATTRIBUTE_HEADERS || DATA_GROUPS.some((g) => id.startsWith(g) && id.length > g.length);
  return [...new Set([...LEADING, ...requested.filter(known)])];
}

/**
 * One field, quoted when it holds a comma, quote, line break or edge space. Text that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`,
 * unless it is a plain number (a negative metric stays a number).
 */
export function csvField(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v) && !isPlainNumber(v)) v = `'${v}`;
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

const isPlainNumber = (v: string) => /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v);

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function csvHeader(columns: readonly string[]): string {
  return csvLine(columns.map((c) => ATTRIBUTE_HEADERS[c] ?? c));
}

export function csvRow(run: Run, columns: readonly string[]): string {
  return csvLine(columns.map((c) => cellText(run, c)));
}

const isoTime = (ms: unknown) =>
  ms === undefined || ms === null || ms === '' ? '' : new Date(Number(ms)).toISOString();

function cellText(run: Run, column: string): string {
  const { info, data } = run;
  const tag = (key: string) => data.tags?.find((t) => t.key === key)?.value;
  switch (column) {
    case 'attributes.run_id':
      return info.run_id;
    case 'attributes.run_name':
      return info.run_name || tag('mlflow.runName') || '';
    case 'attributes.status':
      return info.status;
    case 'attributes.start_time':
      return isoTime(info.start_time);
    case 'attributes.end_time':
      return info.end_time ? isoTime(info.end_time) : '';
    case 'duration':
      return info.end_time ? String((Number(info.end_time) - Number(info.start_time)) / 1000) : '';
    case 'attributes.user_id':
      return info.user_id || tag('mlflow.user') || '';
    case 'tag-chips':
      return (data.tags ?? [])
        .filter((t) => !t.key.startsWith('mlflow.'))
        .map((t) => `${t.key}=${t.value}`)
        .join('; ');
  }
  if (column.startsWith('metrics.')) {
    const m = data.metrics?.find((x) => x.key === column.slice(8));
    return m === undefined ? '' : String(m.value);
  }
  if (column.startsWith('params.')) return data.params?.find((p) => p.key === column.slice(7))?.value ?? '';
  if (column.startsWith('tags.')) return tag(column.slice(5)) ?? '';
  return '';
}
