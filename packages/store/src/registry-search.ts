import { invalidParam } from '@trove/protocol';
import { type Expression, type SqlBool, sql } from 'kysely';
import { type ModelVersionRow, type RegisteredModelRow, versionsQuery } from './repositories/registry.repository.ts';
import type { Comparison, FilterAst, RawComparison, RawFilter } from './search/ast.ts';
import { compileFilter, numberPredicate, stringPredicate } from './search/filter-compiler.ts';
import { parseFilterSyntax } from './search/filter-parser.ts';
import type { SortColumn } from './search/keyset.ts';
import { queryFingerprint } from './search/page-token.ts';
import { fetchPage } from './search/paged-query.ts';
import { sqlOpsFor } from './search/sql-ops.ts';
import { type Visibility, visibilityWhere } from './search/visibility.ts';
import type { Store } from './store.ts';

export interface RegistrySearchQuery {
  workspaceId: number;
  filter?: string;
  maxResults: number;
  orderBy: string[];
  pageToken?: string;
  /** The model names the caller may see (auth); all when undefined. */
  visible?: Visibility<string>;
}

type Entity = 'models' | 'versions';
const PROMPT_TAG = 'mlflow.prompt.is_prompt';
// Attribute → [column, value type, list comparisons allowed] (reference §14.3–14.4).
const ATTRIBUTES: Record<Entity, Record<string, [string, 'string' | 'number', boolean]>> = {
  models: { name: ['registered_models.name', 'string', false] },
  versions: {
    name: ['registered_models.name', 'string', false],
    run_id: ['model_versions.run_id', 'string', true],
    source_path: ['model_versions.source', 'string', false],
    version_number: ['model_versions.version', 'number', false],
  },
};

function validate(raw: RawFilter, entity: Entity): FilterAst {
  if (raw.type === 'all') return raw;
  if (raw.type === 'comparison') return comparison(raw, entity);
  return { type: raw.type, children: raw.children.map((c) => validate(c, entity)) };
}

function comparison(c: RawComparison, entity: Entity): Comparison {
  const prefix = c.ident.prefix?.toLowerCase() ?? null;
  const { key } = c.ident;
  const isTag = prefix === 'tags' || prefix === 'tag';
  if (!isTag && prefix !== null && prefix !== 'attribute' && prefix !== 'attributes')
    throw invalidParam(`Invalid entity type '${c.ident.prefix}' in filter. Valid prefixes are 'tags' and 'attribute'.`);
  const attr = isTag ? undefined : ATTRIBUTES[entity][key];
  if (!isTag && !attr)
    throw invalidParam(
      `Invalid attribute key '${key}' in filter. Valid keys are ${Object.keys(ATTRIBUTES[entity]).join(', ')}.`,
    );
  const type = attr?.[1] ?? 'string';
  const base = { type: 'comparison' as const, kind: isTag ? ('tag' as const) : ('attribute' as const), key };
  if (type === 'number') {
    if (c.value.kind !== 'number' || !['=', '!=', '>', '>=', '<', '<='].includes(c.op))
      throw invalidParam(`'${key}' takes a number and one of = != > >= < <=.`);
    return { ...base, valueType: 'number', op: c.op as '=', value: c.value.value };
  }
  if (c.value.kind === 'list') {
    if (!attr?.[2] || (c.op !== 'IN' && c.op !== 'NOT IN'))
      throw invalidParam(`'${c.op}' with a list is not supported for '${key}'.`);
    if (c.value.value.length === 0) throw invalidParam('IN needs at least one value.');
    return { ...base, valueType: 'list', op: c.op, value: c.value.value };
  }
  if (c.value.kind !== 'string') throw invalidParam(`'${key}' must be compared with a quoted string.`);
  if (!['=', '!=', 'LIKE', 'ILIKE'].includes(c.op))
    throw invalidParam(`Comparator '${c.op}' is not supported for '${key}'; use = != LIKE ILIKE.`);
  return { ...base, valueType: 'string', op: c.op as '=', value: c.value.value };
}

/** Prompts are hidden unless the filter asks for them (`tags.mlflow.prompt.is_prompt = 'true'`), then only prompts show. */
function wantsPrompts(ast: FilterAst): boolean {
  if (ast.type === 'all') return false;
  if (ast.type === 'comparison')
    return (
      ast.kind === 'tag' &&
      ast.key === PROMPT_TAG &&
      ast.valueType === 'string' &&
      ((ast.op === '=' && ast.value === 'true') || (ast.op === '!=' && ast.value === 'false'))
    );
  return ast.children.some(wantsPrompts);
}

function compile(store: Store, ast: FilterAst, entity: Entity): Expression<SqlBool> | undefined {
  const ops = sqlOpsFor(store);
  const filter = compileFilter(ast, (c) => {
    if (c.kind === 'attribute') {
      const column = sql.ref(ATTRIBUTES[entity][c.key][0]);
      return c.valueType === 'number' ? numberPredicate(column, c) : stringPredicate(column, c, ops);
    }
    if (c.valueType === 'number') throw invalidParam('Tags hold strings.');
    const table = entity === 'models' || c.key === PROMPT_TAG ? 'registered_model_tags' : 'model_version_tags';
    const owner =
      table === 'registered_model_tags'
        ? sql`t.model_id = registered_models.id`
        : sql`t.model_id = model_versions.model_id AND t.version = model_versions.version`;
    return sql<SqlBool>`EXISTS (SELECT 1 FROM ${sql.table(table)} t WHERE ${owner} AND t.key = ${c.key} AND ${stringPredicate(sql.ref('t.value'), c, ops)})`;
  });
  const isPrompt = sql<SqlBool>`EXISTS (SELECT 1 FROM registered_model_tags p WHERE p.model_id = registered_models.id AND p.key = ${PROMPT_TAG} AND lower(p.value) = 'true')`;
  const prompts = wantsPrompts(ast) ? isPrompt : sql<SqlBool>`NOT ${isPrompt}`;
  return filter ? sql<SqlBool>`${filter} AND ${prompts}` : prompts;
}

const ORDER_RE = /^\s*(?:attributes?\.)?(`[^`]+`|"[^"]+"|\w+)\s*(ASC|DESC)?\s*$/i;

function parseOrder(clauses: string[], columns: Record<string, string>): { column: string; desc: boolean }[] {
  const seen = new Set<string>();
  return clauses.map((clause) => {
    const m = ORDER_RE.exec(clause);
    const key = m?.[1].replace(/^[`"]|[`"]$/g, '');
    if (!m || !key || !(key in columns))
      throw invalidParam(`Invalid order_by clause '${clause}'. Valid keys are ${Object.keys(columns).join(', ')}.`);
    const column = columns[key];
    if (seen.has(column)) throw invalidParam(`order_by contains duplicate fields: ${clause}`);
    seen.add(column);
    return { column, desc: m[2]?.toUpperCase() === 'DESC' };
  });
}

function withTieBreaks(
  keys: { column: string; desc: boolean }[],
  ties: { column: string; desc: boolean }[],
): SortColumn[] {
  const all = [...keys, ...ties.filter((t) => !keys.some((k) => k.column === t.column))];
  return all.map((k) => ({ expr: sql.ref(k.column), desc: k.desc, nullable: false }));
}

export async function searchRegisteredModels(
  store: Store,
  q: RegistrySearchQuery,
): Promise<{ rows: RegisteredModelRow[]; nextPageToken?: string }> {
  const ast = validate(parseFilterSyntax(q.filter ?? ''), 'models');
  const keys = parseOrder(q.orderBy, {
    name: 'registered_models.name',
    timestamp: 'registered_models.last_update_time',
    last_updated_timestamp: 'registered_models.last_update_time',
  });
  const cols = withTieBreaks(keys.length > 0 ? keys : [{ column: 'registered_models.name', desc: false }], [
    { column: 'registered_models.name', desc: false },
  ]);
  const page = await fetchPage(store.db, {
    id: sql.ref('registered_models.id'),
    where: [
      sql<SqlBool>`registered_models.workspace_id = ${q.workspaceId}`,
      compile(store, ast, 'models'),
      visibilityWhere(sql.ref('registered_models.name'), q.visible),
    ],
    segments: [{ from: sql`registered_models`, where: [], cols }],
    maxResults: q.maxResults,
    pageToken: q.pageToken,
    fingerprint: queryFingerprint(['registered_models', q.filter ?? '', q.orderBy, q.workspaceId]),
  });
  const rows =
    page.ids.length === 0
      ? []
      : await store.db.selectFrom('registered_models').selectAll().where('id', 'in', page.ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: page.ids.map((id) => byId.get(id)).filter((r) => r !== undefined), nextPageToken: page.nextPageToken };
}

// Model versions have a composite key; the page id packs it into one integer.
const VERSION_SPACE = 1_000_000_000;

export async function searchModelVersions(
  store: Store,
  q: RegistrySearchQuery,
): Promise<{ rows: ModelVersionRow[]; nextPageToken?: string }> {
  const ast = validate(parseFilterSyntax(q.filter ?? ''), 'versions');
  const keys = parseOrder(q.orderBy, {
    name: 'registered_models.name',
    version_number: 'model_versions.version',
    creation_timestamp: 'model_versions.creation_time',
    last_updated_timestamp: 'model_versions.last_update_time',
    timestamp: 'model_versions.last_update_time',
  });
  const defaults = [{ column: 'model_versions.last_update_time', desc: true }];
  const cols = withTieBreaks(keys.length > 0 ? keys : defaults, [
    { column: 'registered_models.name', desc: false },
    { column: 'model_versions.version', desc: true },
  ]);
  const page = await fetchPage(store.db, {
    id: sql`(CAST(model_versions.model_id AS BIGINT) * ${VERSION_SPACE} + model_versions.version)`,
    where: [
      sql<SqlBool>`registered_models.workspace_id = ${q.workspaceId}`,
      sql<SqlBool>`model_versions.deleted = 0`,
      compile(store, ast, 'versions'),
      visibilityWhere(sql.ref('registered_models.name'), q.visible),
    ],
    segments: [
      {
        from: sql`model_versions INNER JOIN registered_models ON registered_models.id = model_versions.model_id`,
        where: [],
        cols,
      },
    ],
    maxResults: q.maxResults,
    pageToken: q.pageToken,
    fingerprint: queryFingerprint(['model_versions', q.filter ?? '', q.orderBy, q.workspaceId]),
  });
  const wanted = page.ids.map((id) => ({ model: Math.floor(id / VERSION_SPACE), version: id % VERSION_SPACE }));
  const rows: ModelVersionRow[] = [];
  for (const w of wanted) {
    const row = await versionsQuery(store.db)
      .where('model_versions.model_id', '=', w.model)
      .where('model_versions.version', '=', w.version)
      .executeTakeFirst();
    if (row) rows.push(row);
  }
  return { rows, nextPageToken: page.nextPageToken };
}
