import { invalidParam } from '@trove/protocol';
import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import { TEXT_PREFIX_CHARS } from './migrations/0010_long_text_values.ts';
import type { Comparison, RawComparison, RawFilter } from './search/ast.ts';
import { and, FALSE, numberPredicate, stringPredicate, TRUE } from './search/filter-compiler.ts';
import { parseFilterSyntax } from './search/filter-parser.ts';
import type { SortColumn } from './search/keyset.ts';
import { parseLikePattern } from './search/like-pattern.ts';
import { queryFingerprint } from './search/page-token.ts';
import { fetchPage } from './search/paged-query.ts';
import { type SearchSqlOps, sqlOpsFor } from './search/sql-ops.ts';
import type { Store } from './store.ts';
import { drivenFrom, fewCandidates, kvDriver, textDriver, trigramQuery } from './trace-drivers.ts';

/**
 * Trace search (MLflow's trace filter grammar, V2 and V3 spellings). A filter names:
 * - attributes (`trace.`, `attribute(s).` or no prefix): `request_id`/`trace_id`, `timestamp(_ms)`,
 *   `execution_time(_ms)`, `status`/`state`, `name` (tag `mlflow.traceName`), `run_id`
 *   (metadata `mlflow.sourceRun`), `client_request_id`, and Trove's `request_preview`,
 *   `response_preview` and `text` (either preview) for free text with LIKE/ILIKE; `end_time(_ms)`
 *   (start + execution time);
 * - `tag(s).<key>` and `metadata.<key>`/`request_metadata.<key>`;
 * - MLflow 3's `span.name|type|status`, `span.content` (LIKE/ILIKE over a span's JSON),
 *   `span.attributes.<key>`, and `feedback.<name>` / `expectation.<name>` (the assessment's value
 *   as JSON text: `feedback.correct = 'true'`). A span attribute or an assessment value that is a
 *   JSON string also matches unquoted (`span.attributes.mlflow.spanType = 'CHAIN'`).
 * Pages are keyset (the token holds the last row's sort values), never offsets.
 */
export interface TraceSearchQuery {
  experimentIds: number[];
  filter?: string;
  maxResults: number;
  orderBy: string[];
  pageToken?: string;
  /** Extra bounds from the caller (the UI's time range): timestamp_ms in [from, to). */
  timeFrom?: number;
  timeTo?: number;
}

type TraceField =
  | { kind: 'column'; column: string; type: 'string' | 'number' | 'state' }
  | { kind: 'text' }
  | { kind: 'tag' | 'metadata'; key: string }
  | { kind: 'span'; column: 'name' | 'span_type' | 'status' | 'content' }
  | { kind: 'spanAttribute'; key: string }
  | { kind: 'assessment'; assessment: 'feedback' | 'expectation'; name: string };

interface TraceComparison {
  type: 'comparison';
  field: TraceField;
  c: Comparison;
}
type TraceFilter = { type: 'all' } | { type: 'and' | 'or'; children: TraceFilter[] } | TraceComparison;

const RUN_KEY = 'mlflow.sourceRun';

const ATTRIBUTES: Record<string, TraceField> = {
  request_id: { kind: 'column', column: 'trace_id', type: 'string' },
  trace_id: { kind: 'column', column: 'trace_id', type: 'string' },
  timestamp: { kind: 'column', column: 'timestamp_ms', type: 'number' },
  timestamp_ms: { kind: 'column', column: 'timestamp_ms', type: 'number' },
  request_time: { kind: 'column', column: 'timestamp_ms', type: 'number' },
  execution_time: { kind: 'column', column: 'execution_time_ms', type: 'number' },
  execution_time_ms: { kind: 'column', column: 'execution_time_ms', type: 'number' },
  execution_duration: { kind: 'column', column: 'execution_time_ms', type: 'number' },
  end_time: { kind: 'column', column: 'end_time', type: 'number' },
  end_time_ms: { kind: 'column', column: 'end_time', type: 'number' },
  status: { kind: 'column', column: 'state', type: 'state' },
  state: { kind: 'column', column: 'state', type: 'state' },
  client_request_id: { kind: 'column', column: 'client_request_id', type: 'string' },
  request_preview: { kind: 'column', column: 'request_preview', type: 'string' },
  response_preview: { kind: 'column', column: 'response_preview', type: 'string' },
  text: { kind: 'text' },
  name: { kind: 'tag', key: 'mlflow.traceName' },
  run_id: { kind: 'metadata', key: RUN_KEY },
};

const SPAN_COLUMNS: Record<string, 'name' | 'span_type' | 'status' | 'content'> = {
  name: 'name',
  type: 'span_type',
  status: 'status',
  content: 'content',
};

const PREFIXES: Record<string, 'attribute' | 'tag' | 'metadata' | 'span' | 'feedback' | 'expectation'> = {
  attribute: 'attribute',
  attributes: 'attribute',
  trace: 'attribute',
  tag: 'tag',
  tags: 'tag',
  metadata: 'metadata',
  request_metadata: 'metadata',
  span: 'span',
  feedback: 'feedback',
  expectation: 'expectation',
};

/** V2 spells the unset state TRACE_STATUS_UNSPECIFIED, V3 STATE_UNSPECIFIED; both are stored as the latter. */
export function normalizeTraceState(value: string): string {
  return value === 'TRACE_STATUS_UNSPECIFIED' ? 'STATE_UNSPECIFIED' : value;
}

function resolveField(prefix: string | null, key: string): TraceField {
  const kind = prefix === null ? 'attribute' : PREFIXES[prefix.toLowerCase()];
  if (kind === undefined)
    throw invalidParam(
      `Invalid entity type '${prefix}'. Valid values are attribute(s), trace, tag(s), metadata, request_metadata, span, feedback, expectation`,
    );
  if (kind === 'tag' || kind === 'metadata') return { kind, key };
  if (kind === 'feedback' || kind === 'expectation') return { kind: 'assessment', assessment: kind, name: key };
  if (kind === 'span') {
    if (key.startsWith('attributes.') && key.length > 'attributes.'.length)
      return { kind: 'spanAttribute', key: key.slice('attributes.'.length) };
    const column = SPAN_COLUMNS[key.toLowerCase()];
    if (column === undefined)
      throw invalidParam(`Invalid span attribute '${key}'. Supported: name, type, status, content, attributes.<key>`);
    return { kind: 'span', column };
  }
  const field = ATTRIBUTES[key.toLowerCase()];
  if (field === undefined)
    throw invalidParam(
      `Invalid attribute key '${key}' for trace search; supported: ${Object.keys(ATTRIBUTES).join(', ')}`,
    );
  return field;
}

function validate(raw: RawFilter): TraceFilter {
  if (raw.type === 'all') return raw;
  if (raw.type !== 'comparison') return { type: raw.type, children: raw.children.map(validate) };
  return validateComparison(raw);
}

function validateComparison(raw: RawComparison): TraceComparison {
  const field = resolveField(raw.ident.prefix, raw.ident.key);
  const numeric = field.kind === 'column' && field.type === 'number';
  const where = `'${raw.ident.prefix ? `${raw.ident.prefix}.` : ''}${raw.ident.key}'`;
  const key = field.kind === 'tag' || field.kind === 'metadata' ? field.key : raw.ident.key;
  if (numeric) {
    if (raw.value.kind !== 'number')
      throw invalidParam(`Invalid value for ${where}: expected a number, got a ${raw.value.kind}`);
    if (!['=', '!=', '>', '>=', '<', '<='].includes(raw.op))
      throw invalidParam(`Invalid comparator '${raw.op}' for ${where}; use =, !=, >, >=, < or <=`);
    return {
      type: 'comparison',
      field,
      c: { type: 'comparison', kind: 'attribute', key, valueType: 'number', op: raw.op as '=', value: raw.value.value },
    };
  }
  if (raw.value.kind === 'list') {
    if (raw.op !== 'IN' && raw.op !== 'NOT IN') throw invalidParam(`Invalid comparator '${raw.op}' for a list value`);
    const values =
      field.kind === 'column' && field.type === 'state' ? raw.value.value.map(normalizeTraceState) : raw.value.value;
    return {
      type: 'comparison',
      field,
      c: { type: 'comparison', kind: 'attribute', key, valueType: 'list', op: raw.op, value: values },
    };
  }
  if (raw.value.kind !== 'string')
    throw invalidParam(`Invalid value for ${where}: expected a quoted string, got a number`);
  if (!['=', '!=', 'LIKE', 'ILIKE'].includes(raw.op))
    throw invalidParam(`Invalid comparator '${raw.op}' for ${where}; use =, !=, LIKE, ILIKE, IN or NOT IN`);
  const freeText = field.kind === 'text' || (field.kind === 'span' && field.column === 'content');
  if (freeText && raw.op !== 'LIKE' && raw.op !== 'ILIKE')
    throw invalidParam(`${where} searches text: use LIKE or ILIKE`);
  const value =
    field.kind === 'column' && field.type === 'state'
      ? normalizeTraceState(raw.value.value)
      : field.kind === 'span' && field.column === 'status'
        ? raw.value.value.replace(/^STATUS_CODE_/, '')
        : raw.value.value;
  return {
    type: 'comparison',
    field,
    c: { type: 'comparison', kind: 'attribute', key, valueType: 'string', op: raw.op as '=', value },
  };
}

/** `walk`: terms to test per trace, in a form PostgreSQL cannot turn into a join (trace-drivers.ts). */
function compile(f: TraceFilter, ops: SearchSqlOps, walk: Set<TraceFilter>): Expression<SqlBool> | undefined {
  if (f.type === 'all') return undefined;
  if (f.type !== 'comparison') {
    const parts = f.children.map((c) => compile(c, ops, walk) ?? TRUE);
    return sql<SqlBool>`(${sql.join(parts, sql.raw(f.type === 'and' ? ' AND ' : ' OR '))})`;
  }
  const { field, c } = f;
  if (field.kind === 'column') {
    const col = field.column === 'end_time' ? END_TIME : sql.ref(`traces.${field.column}`);
    return c.valueType === 'number' ? numberPredicate(col, c) : stringPredicate(col, c, ops);
  }
  if (c.valueType === 'number') return FALSE;
  if (field.kind === 'span')
    return sql<SqlBool>`EXISTS (SELECT 1 FROM trace_spans sp WHERE sp.trace_pk = traces.id AND ${stringPredicate(sql.ref(`sp.${field.column}`), c, ops)})`;
  if (field.kind === 'spanAttribute') {
    const value = ops.jsonString(sql.ref('sp.content'), ['attributes', field.key]);
    return sql<SqlBool>`EXISTS (SELECT 1 FROM trace_spans sp WHERE sp.trace_pk = traces.id AND ${jsonOrPlain(value, c, ops)})`;
  }
  if (field.kind === 'assessment') {
    const content = sql.ref('a.content');
    const value = sql`COALESCE(${ops.jsonText(content, [field.assessment, 'value'])}, ${ops.jsonString(content, [field.assessment, 'serialized_value', 'value'])})`;
    return sql<SqlBool>`EXISTS (SELECT 1 FROM trace_assessments a WHERE a.trace_pk = traces.id AND a.kind = ${field.assessment} AND a.name = ${field.name} AND ${jsonOrPlain(value, c, ops)})`;
  }
  if (field.kind === 'text') {
    if (c.valueType !== 'string') return FALSE;
    return sql<SqlBool>`(${stringPredicate(sql.ref('traces.request_preview'), c, ops)} OR ${stringPredicate(sql.ref('traces.response_preview'), c, ops)})`;
  }
  // The run link is mirrored in traces.run_uuid (0014), whose index also gives the time order.
  if (field.kind === 'metadata' && field.key === RUN_KEY && (c.op === '=' || c.op === 'IN'))
    return stringPredicate(sql.ref('traces.run_uuid'), c, ops);
  const table = field.kind === 'tag' ? 'trace_tags' : 'trace_metadata';
  const value = sql.ref('kv.value');
  // `!=` and NOT IN match only traces that have the key, as MLflow's join does.
  const predicate =
    c.valueType === 'string' && c.op === '='
      ? sql<SqlBool>`substr(kv.value, 1, ${TEXT_PREFIX_CHARS}) = substr(${c.value}, 1, ${TEXT_PREFIX_CHARS}) AND kv.value = ${c.value}`
      : stringPredicate(value, c, ops);
  // Walked (only `=` terms are): one primary-key probe per trace; without the prefix condition, so
  // the (key, value-prefix) index cannot tempt the planner into scanning all of the key's rows.
  if (walk.has(f) && c.valueType === 'string')
    return sql<SqlBool>`(SELECT 1 FROM ${sql.table(table)} kv WHERE kv.trace_pk = traces.id AND kv.key = ${field.key} AND kv.value = ${c.value} LIMIT 1) IS NOT NULL`;
  return sql<SqlBool>`EXISTS (SELECT 1 FROM ${sql.table(table)} kv WHERE kv.trace_pk = traces.id AND kv.key = ${field.key} AND ${predicate})`;
}

/** MLflow's end time: start plus execution time (0 while unknown). */
const END_TIME = sql`(traces.timestamp_ms + COALESCE(traces.execution_time_ms, 0))`;

/**
 * A value held as JSON text (`"CHAIN"`, `true`) compared as written or, for a JSON string, as its
 * text: the comparison's value(s) also tried JSON-quoted. Negations must miss both forms.
 */
function jsonOrPlain(value: Expression<unknown>, c: Comparison, ops: SearchSqlOps): RawBuilder<SqlBool> {
  if (c.valueType === 'number') return FALSE;
  const quoted: Comparison =
    c.valueType === 'list'
      ? { ...c, value: c.value.map((v) => JSON.stringify(v)) }
      : { ...c, value: JSON.stringify(c.value) };
  const negated = c.op === '!=' || c.op === 'NOT IN';
  const [a, b] = [stringPredicate(value, c, ops), stringPredicate(value, quoted as typeof c, ops)];
  return negated ? sql<SqlBool>`(${a} AND ${b})` : sql<SqlBool>`(${a} OR ${b})`;
}

const ORDER_COLUMNS: Record<string, { expr: Expression<unknown>; nullable: boolean }> = {
  timestamp_ms: { expr: sql.ref('traces.timestamp_ms'), nullable: false },
  execution_time_ms: { expr: sql.ref('traces.execution_time_ms'), nullable: true },
  end_time_ms: { expr: END_TIME, nullable: false },
  state: { expr: sql.ref('traces.state'), nullable: false },
  trace_id: { expr: sql.ref('traces.trace_id'), nullable: false },
  name: { expr: sql.ref('traces.name'), nullable: true },
  run_uuid: { expr: sql.ref('traces.run_uuid'), nullable: true },
  experiment_id: { expr: sql.ref('traces.experiment_id'), nullable: false },
};
const ORDER_ALIASES: Record<string, string> = {
  timestamp: 'timestamp_ms',
  timestamp_ms: 'timestamp_ms',
  request_time: 'timestamp_ms',
  execution_time: 'execution_time_ms',
  execution_time_ms: 'execution_time_ms',
  execution_duration: 'execution_time_ms',
  end_time: 'end_time_ms',
  end_time_ms: 'end_time_ms',
  status: 'state',
  state: 'state',
  request_id: 'trace_id',
  trace_id: 'trace_id',
  name: 'name',
  run_id: 'run_uuid',
  experiment_id: 'experiment_id',
};

const ORDER_CLAUSE = /^\s*(?:([A-Za-z_]+)\.)?(?:`([^`]+)`|"([^"]+)"|([A-Za-z_][\w.]*))(?:\s+(ASC|DESC))?\s*$/i;

/** A tag's or metadata entry's value, NULL when the trace lacks the key. */
function kvValue(table: 'trace_tags' | 'trace_metadata', key: string): Expression<unknown> {
  return sql`(SELECT kv.value FROM ${sql.table(table)} kv WHERE kv.trace_pk = traces.id AND kv.key = ${key})`;
}

function orderClause(clause: string): { name: string; col: SortColumn } {
  const m = ORDER_CLAUSE.exec(clause);
  const prefix = m?.[1] === undefined ? 'attribute' : PREFIXES[m[1].toLowerCase()];
  const key = m ? (m[2] ?? m[3] ?? m[4]) : '';
  const desc = (m?.[5] ?? 'ASC').toUpperCase() === 'DESC';
  if (prefix === 'tag' || prefix === 'metadata') {
    const table = prefix === 'tag' ? 'trace_tags' : 'trace_metadata';
    return { name: `${table}.${key}`, col: { expr: kvValue(table, key), nullable: true, desc } };
  }
  const name = m && prefix === 'attribute' ? ORDER_ALIASES[key.toLowerCase()] : undefined;
  if (name === undefined)
    throw invalidParam(
      `Invalid order_by clause '${clause}'. Trace results can be ordered by ${Object.keys(ORDER_ALIASES).join(', ')}, tags.<key> or metadata.<key>, optionally followed by ASC or DESC`,
    );
  return { name, col: { ...ORDER_COLUMNS[name], desc } };
}

/**
 * MLflow's order: the requested keys (tags and metadata missing on a trace sort last), then the
 * newest first; the surrogate key makes the order total for keyset pages.
 */
function parseTraceOrderBy(orderBy: string[]): SortColumn[] {
  const cols: SortColumn[] = [];
  const seen = new Set<string>();
  for (const clause of orderBy) {
    const { name, col } = orderClause(clause);
    if (seen.has(name)) throw invalidParam(`\`order_by\` contains duplicate fields: ${orderBy.join(', ')}`);
    seen.add(name);
    cols.push(col);
  }
  let time = cols.find((c) => c.expr === ORDER_COLUMNS.timestamp_ms.expr);
  if (time === undefined) {
    time = { ...ORDER_COLUMNS.timestamp_ms, desc: true };
    cols.push(time);
  }
  // Ties break by insertion order in the time's direction, which the (experiment, time, id) index serves.
  cols.push({ expr: sql.ref('traces.id'), nullable: false, desc: time.desc });
  return cols;
}

/** Parses and checks a trace filter without running it (the UI validates as the user types). */
export function checkTraceFilter(filter: string): void {
  validate(parseFilterSyntax(filter));
}

/** A trace filter as a predicate over `traces` (undefined: every trace). */
export function traceFilterPredicate(store: Store, filter: string): Expression<SqlBool> | undefined {
  return compile(validate(parseFilterSyntax(filter)), sqlOpsFor(store), new Set());
}

const PREVIEWS = new Set(['request_preview', 'response_preview']);

interface Driver {
  term: TraceFilter;
  select: RawBuilder<unknown>;
}

/** Drivers for the terms every match must meet (top-level AND terms): SQLite's text index is its own. */
function drivers(f: TraceFilter, dialect: 'sqlite' | 'postgres'): Driver[] {
  const out: Driver[] = [];
  for (const t of f.type === 'and' ? f.children : [f]) {
    if (t.type !== 'comparison' || t.c.valueType !== 'string') continue;
    const { field, c } = t;
    // A run's traces are read through traces_by_run_time (see compile), never driven.
    if (c.op === '=' && (field.kind === 'tag' || (field.kind === 'metadata' && field.key !== RUN_KEY)))
      out.push({
        term: t,
        select: kvDriver(field.kind === 'tag' ? 'trace_tags' : 'trace_metadata', field.key, c.value),
      });
    const text = field.kind === 'text' || (field.kind === 'column' && PREVIEWS.has(field.column));
    if (dialect === 'sqlite' && text && (c.op === 'LIKE' || c.op === 'ILIKE')) {
      const match = trigramQuery(parseLikePattern(c.value));
      if (match !== undefined) out.push({ term: t, select: textDriver(match) });
    }
  }
  return out;
}

/**
 * How to read the page (trace-drivers.ts): on SQLite, from the first driver with few candidates;
 * on PostgreSQL, the terms with many candidates to be tested per trace.
 */
async function choosePlan(
  store: Store,
  parsed: TraceFilter,
): Promise<{ from: RawBuilder<unknown>; walk: Set<TraceFilter> }> {
  const walk = new Set<TraceFilter>();
  for (const d of drivers(parsed, store.ddl.name)) {
    const few = await fewCandidates(store.db, d.select);
    if (store.ddl.name === 'sqlite' && few) return { from: drivenFrom(d.select), walk };
    if (!few) walk.add(d.term);
  }
  return { from: sql`traces`, walk };
}

/** The matching traces' surrogate keys in result order, and a token when more may follow. */
export async function searchTraces(
  store: Store,
  q: TraceSearchQuery,
): Promise<{ ids: number[]; nextPageToken?: string }> {
  const ops = sqlOpsFor(store);
  const parsed = validate(parseFilterSyntax(q.filter ?? ''));
  const plan = await choosePlan(store, parsed);
  const filter = compile(parsed, ops, plan.walk);
  const cols = parseTraceOrderBy(q.orderBy);
  const experimentIds = [...new Set(q.experimentIds)].sort((a, b) => a - b);
  const fingerprint = queryFingerprint(['traces', q.filter ?? '', q.orderBy, experimentIds, q.timeFrom, q.timeTo]);
  const inExperiments =
    experimentIds.length === 1
      ? sql<SqlBool>`traces.experiment_id = ${experimentIds[0]}`
      : sql<SqlBool>`traces.experiment_id IN (${sql.join(experimentIds.length > 0 ? experimentIds : [null])})`;
  const range = and([
    q.timeFrom === undefined ? undefined : sql<SqlBool>`traces.timestamp_ms >= ${q.timeFrom}`,
    q.timeTo === undefined ? undefined : sql<SqlBool>`traces.timestamp_ms < ${q.timeTo}`,
  ]);
  return fetchPage(store.db, {
    id: sql.ref('traces.id'),
    where: [inExperiments, range, filter],
    segments: [{ from: plan.from, where: [], cols }],
    maxResults: q.maxResults,
    pageToken: q.pageToken,
    fingerprint,
  });
}
