import { invalidParam } from '@trove/protocol';
import type { LoggedModelRow } from './repositories/logged-model.repository.ts';
import type { RawComparison, RawFilter } from './search/ast.ts';
import { parseFilterSyntax } from './search/filter-parser.ts';
import { parseLikePattern } from './search/like-pattern.ts';
import type { Store } from './store.ts';

export interface LoggedModelSearchQuery {
  experimentIds: number[];
  filter?: string;
  datasets?: Record<string, unknown>[];
  maxResults: number;
  orderBy: Record<string, unknown>[];
  pageToken?: string;
}

const ATTRIBUTES: Record<string, [keyof LoggedModelRow, 'string' | 'number']> = {
  name: ['name', 'string'],
  model_id: ['model_id', 'string'],
  model_type: ['model_type', 'string'],
  status: ['status', 'string'],
  source_run_id: ['source_run_id', 'string'],
  experiment_id: ['experiment_id', 'string'],
  creation_timestamp: ['creation_time', 'number'],
  creation_time: ['creation_time', 'number'],
  last_updated_timestamp: ['last_update_time', 'number'],
};

interface Candidate {
  row: LoggedModelRow;
  params: Map<string, string>;
  tags: Map<string, string>;
  metrics: {
    key: string;
    value: number;
    timestamp: number;
    step: number;
    dataset_name: string | null;
    dataset_digest: string | null;
  }[];
}

/**
 * Logged-model search (reference §14.5). Models per experiment number in the hundreds, not the
 * hundreds of thousands runs reach, so the filter is evaluated in memory over the experiment's
 * models; pages are offsets bound to the query (MLflow's token carries the query the same way).
 */
export async function searchLoggedModels(
  store: Store,
  q: LoggedModelSearchQuery,
): Promise<{ rows: LoggedModelRow[]; nextPageToken?: string }> {
  const raw = parseFilterSyntax(q.filter ?? '');
  const datasets = (q.datasets ?? []).map((d, i) => {
    if (typeof d.dataset_name !== 'string' || d.dataset_name === '')
      throw invalidParam(`Missing value for required parameter 'datasets[${i}].dataset_name'.`);
    return {
      name: d.dataset_name,
      digest: typeof d.dataset_digest === 'string' && d.dataset_digest !== '' ? d.dataset_digest : undefined,
    };
  });
  const order = q.orderBy.map((o, i) => {
    if (typeof o.field_name !== 'string' || o.field_name === '')
      throw invalidParam(`Missing value for required parameter 'order_by[${i}].field_name'.`);
    if (o.dataset_digest && !o.dataset_name)
      throw invalidParam('`dataset_digest` can only be specified if `dataset_name` is also specified.');
    return {
      field: o.field_name,
      asc: o.ascending !== false,
      datasetName: o.dataset_name as string | undefined,
    };
  });
  const fingerprint = JSON.stringify([q.experimentIds, q.filter ?? '', q.orderBy, q.datasets ?? []]);
  const offset = q.pageToken ? decodeOffset(q.pageToken, fingerprint) : 0;

  const { db } = store;
  const rows = await db
    .selectFrom('logged_models')
    .selectAll()
    .where('experiment_id', 'in', q.experimentIds)
    .where('lifecycle_stage', '=', 'active')
    .execute();
  const ids = rows.map((r) => r.model_id);
  const [params, tags, metrics] =
    ids.length === 0
      ? [[], [], []]
      : await Promise.all([
          db.selectFrom('logged_model_params').selectAll().where('model_id', 'in', ids).execute(),
          db.selectFrom('logged_model_tags').selectAll().where('model_id', 'in', ids).execute(),
          db.selectFrom('logged_model_metrics').selectAll().where('model_id', 'in', ids).execute(),
        ]);
  const byId = new Map<string, Candidate>(
    rows.map((row) => [row.model_id, { row, params: new Map(), tags: new Map(), metrics: [] }]),
  );
  for (const p of params) byId.get(p.model_id)?.params.set(p.key, p.value);
  for (const t of tags) byId.get(t.model_id)?.tags.set(t.key, t.value);
  for (const m of metrics) if (!m.is_nan) byId.get(m.model_id)?.metrics.push(m);

  const inDatasets = (m: Candidate['metrics'][number]) =>
    datasets.length === 0 ||
    datasets.some((d) => d.name === m.dataset_name && (d.digest === undefined || d.digest === m.dataset_digest));
  let found = [...byId.values()].filter((c) => matches(raw, c, inDatasets));
  if (datasets.length > 0 && !hasMetricClause(raw)) found = found.filter((c) => c.metrics.some(inDatasets));

  const sortKey = (c: Candidate, field: string, datasetName?: string): number | string | null => {
    if (field.startsWith('metrics.')) {
      const key = field.slice('metrics.'.length);
      const latest = c.metrics
        .filter((m) => m.key === key && (!datasetName || m.dataset_name === datasetName))
        .sort((a, b) => b.timestamp - a.timestamp || b.step - a.step)[0];
      return latest ? latest.value : null;
    }
    const attr = ATTRIBUTES[field];
    if (!attr) throw invalidParam(`Invalid order_by field '${field}'.`);
    return (c.row[attr[0]] as string | number | null) ?? null;
  };
  const keys = [...order];
  if (!keys.some((k) => k.field === 'creation_timestamp'))
    keys.push({
      field: 'creation_timestamp',
      asc: false,
      datasetName: undefined,
    });
  found.sort((a, b) => {
    for (const k of keys) {
      const x = sortKey(a, k.field, k.datasetName);
      const y = sortKey(b, k.field, k.datasetName);
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (k.asc ? 1 : -1);
    }
    return a.row.model_id < b.row.model_id ? -1 : 1;
  });
  const page = found.slice(offset, offset + q.maxResults).map((c) => c.row);
  const next =
    offset + q.maxResults < found.length
      ? Buffer.from(JSON.stringify({ offset: offset + q.maxResults, q: fingerprint })).toString('base64url')
      : undefined;
  return { rows: page, nextPageToken: next };
}

function decodeOffset(token: string, fingerprint: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset: number; q: string };
    if (Number.isInteger(parsed.offset) && parsed.offset >= 0 && parsed.q === fingerprint) return parsed.offset;
  } catch {
    /* fall through */
  }
  throw invalidParam('Invalid page token: it is malformed or was issued for a different query.');
}

function hasMetricClause(f: RawFilter): boolean {
  if (f.type === 'all') return false;
  if (f.type === 'comparison') return f.ident.prefix === 'metrics';
  return f.children.some(hasMetricClause);
}

function matches(f: RawFilter, c: Candidate, inDatasets: (m: Candidate['metrics'][number]) => boolean): boolean {
  if (f.type === 'all') return true;
  if (f.type === 'comparison') return compare(f, c, inDatasets);
  if (f.type === 'and') return f.children.every((x) => matches(x, c, inDatasets));
  return f.children.some((x) => matches(x, c, inDatasets));
}

function compare(cmp: RawComparison, c: Candidate, inDatasets: (m: Candidate['metrics'][number]) => boolean): boolean {
  const { prefix, key } = cmp.ident;
  if (prefix === 'metrics') {
    if (cmp.value.kind !== 'number') throw invalidParam(`Metric '${key}' must be compared with a number.`);
    const v = cmp.value.value;
    return c.metrics.some((m) => m.key === key && inDatasets(m) && numeric(cmp.op, m.value, v));
  }
  let actual: string | number | null | undefined;
  let type: 'string' | 'number' = 'string';
  if (prefix === 'params') actual = c.params.get(key);
  else if (prefix === 'tags') actual = c.tags.get(key);
  else if (prefix === null || prefix === 'attributes') {
    const attr = ATTRIBUTES[key];
    if (!attr) throw invalidParam(`Invalid attribute key '${key}' for logged model search.`);
    [, type] = attr;
    const value = c.row[attr[0]];
    actual = value === null ? null : key === 'experiment_id' ? String(value) : (value as string | number);
  } else {
    throw invalidParam(
      `Invalid entity type '${prefix}'. Valid prefixes are 'attributes', 'metrics', 'params' and 'tags'.`,
    );
  }
  if (actual === undefined || actual === null) return false;
  if (type === 'number') {
    if (cmp.value.kind !== 'number') throw invalidParam(`Attribute '${key}' must be compared with a number.`);
    return numeric(cmp.op, Number(actual), cmp.value.value);
  }
  return text(cmp, String(actual));
}

function numeric(op: string, a: number, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      throw invalidParam(`Comparator '${op}' is not valid for numbers.`);
  }
}

function text(cmp: RawComparison, actual: string): boolean {
  const { op, value } = cmp;
  if (op === 'IN' || op === 'NOT IN') {
    if (value.kind !== 'list') throw invalidParam(`'${op}' needs a parenthesised list of strings.`);
    return op === 'IN' ? value.value.includes(actual) : !value.value.includes(actual);
  }
  if (value.kind !== 'string') throw invalidParam(`'${cmp.ident.key}' must be compared with a quoted string.`);
  if (op === '=') return actual === value.value;
  if (op === '!=') return actual !== value.value;
  if (op === 'LIKE' || op === 'ILIKE') {
    const regex = parseLikePattern(value.value)
      .map((p) => (p.kind === 'any' ? '.*' : p.kind === 'one' ? '.' : p.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${regex}$`, op === 'ILIKE' ? 'is' : 's').test(actual);
  }
  throw invalidParam(`Comparator '${op}' is not valid for strings.`);
}
