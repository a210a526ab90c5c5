/**
 * Builds MLflow search-filter text (Trove's grammar: MLflow's plus OR and parentheses) from UI
 * controls, and order_by clauses from table sort state. Pure: unit-tested in test/filter.test.ts.
 */

import type { RunStatus } from '@trove/protocol';

export type { RunStatus };

/** A string literal for the filter grammar: single-quoted, `'` doubled, `\` doubled. */
export function stringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Escapes LIKE wildcards so `text` matches literally inside a `%…%` pattern. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** `%text%` as a literal for ILIKE: case-insensitive "contains". */
export function containsLiteral(text: string): string {
  return stringLiteral(`%${likeEscape(text)}%`);
}

/** `prefix.key`, with the key in backticks unless it is a plain word (keys may hold spaces, dots, quotes). */
export function identifier(prefix: string, key: string): string {
  if (/^[A-Za-z_][\w]*$/.test(key)) return `${prefix}.${key}`;
  return `${prefix}.\`${key.replace(/`/g, '``')}\``;
}

/** A column id (`params.lr`, `metrics.val loss`, `attributes.start_time`) split at its first dot. */
export function splitColumnId(id: string): { prefix: string; key: string } {
  const dot = id.indexOf('.');
  return dot < 0 ? { prefix: 'attributes', key: id } : { prefix: id.slice(0, dot), key: id.slice(dot + 1) };
}

/** One `order_by` clause for a column id. */
export function orderByClause(columnId: string, desc: boolean): string {
  const { prefix, key } = splitColumnId(columnId);
  return `${identifier(prefix, key)} ${desc ? 'DESC' : 'ASC'}`;
}

export interface RunFilterControls {
  /** Free text in the filter grammar, typed by the user; sent as is (in parentheses when combined). */
  text?: string;
  /** Only runs with one of these statuses. */
  statuses?: RunStatus[];
  /** Run name contains (case-insensitive). */
  nameContains?: string;
}

/** Joins the user's filter text and the controls with AND; each part parenthesised when it holds an OR. */
export function buildRunFilter(c: RunFilterControls): string {
  const parts: string[] = [];
  const text = c.text?.trim();
  if (text) parts.push(text);
  const name = c.nameContains?.trim();
  if (name) parts.push(`attributes.run_name ILIKE ${containsLiteral(name)}`);
  const statuses = c.statuses ?? [];
  if (statuses.length === 1) parts.push(`attributes.status = ${stringLiteral(statuses[0])}`);
  else if (statuses.length > 1) parts.push(statuses.map((s) => `attributes.status = ${stringLiteral(s)}`).join(' OR '));
  if (parts.length <= 1) return parts[0] ?? '';
  return parts.map((p) => (needsParens(p) ? `(${p})` : p)).join(' AND ');
}

/** True when `expr` has an OR outside quotes and parentheses, so ANDing it needs parentheses. */
export function needsParens(expr: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /\s/.test(c) && /^or\s/i.test(expr.slice(i + 1, i + 4))) return true;
  }
  return false;
}

/** `name ILIKE '%text%'` for experiments and registered models; empty text → no filter. */
export function nameFilter(text: string): string {
  const t = text.trim();
  return t ? `name ILIKE ${containsLiteral(t)}` : '';
}
