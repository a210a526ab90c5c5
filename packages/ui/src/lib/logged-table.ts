/**
 * A table logged as MLflow's `log_table` JSON, `{"columns": [...], "data": [[...], ...]}`, read
 * for display: every cell becomes plain text, and only the first `maxRows` rows are kept with the
 * total beside them so the page can say what it left out. Pure.
 */

export interface LoggedTable {
  columns: string[];
  rows: string[][];
  /** Rows in the file; more than `rows.length` when capped. */
  totalRows: number;
}

/** The text a cell shows: strings as they are, null as empty, anything else as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** Parses a logged table; throws an Error that says what is wrong with a file in another shape. */
export function parseLoggedTable(text: string, maxRows: number): LoggedTable {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error('This table is not valid JSON.');
  }
  const { columns, data } = (body ?? {}) as { columns?: unknown; data?: unknown };
  if (!Array.isArray(columns) || !Array.isArray(data))
    throw new Error('This table is not in the {"columns": [...], "data": [...]} form.');
  const rows = data
    .slice(0, Math.max(0, maxRows))
    .map((row) => (Array.isArray(row) ? columns.map((_, i) => cellText(row[i])) : columns.map(() => '')));
  return { columns: columns.map(cellText), rows, totalRows: data.length };
}
