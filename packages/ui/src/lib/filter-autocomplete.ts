import { RUN_SEARCH_PREFIXES, RUN_STATUSES, type SearchFieldKind, tokenizeFilter } from '@trove/protocol';
/**
 * Suggestions for the runs filter box (Trove's grammar: MLflow's plus OR and parentheses), from
 * the text before the cursor: field prefixes and the experiment's keys where a field may start,
 * operators after a field, status values after `attributes.status =`, AND/OR after a value.
 * Tolerant of half-typed input: it never throws; the server still judges the final text. Pure.
 */

export interface FilterKeys {
  metrics: readonly string[];
  params: readonly string[];
  tags: readonly string[];
}

export interface Suggestion {
  /** What the list shows. */
  label: string;
  /** What replaces `text.slice(from, to)`. */
  insert: string;
  kind: 'field' | 'key' | 'operator' | 'keyword' | 'value';
}

export interface Completion {
  from: number;
  to: number;
  suggestions: Suggestion[];
}

type Kind = SearchFieldKind;

const PREFIXES: Readonly<Record<string, Kind>> = RUN_SEARCH_PREFIXES;
/** The spelling suggested for each kind. */
const CANONICAL: Record<Kind, string> = {
  metric: 'metrics',
  param: 'params',
  tag: 'tags',
  attribute: 'attributes',
  dataset: 'datasets',
};
const ATTRIBUTES: Record<string, 'number' | 'string'> = {
  run_name: 'string',
  status: 'string',
  user_id: 'string',
  run_id: 'string',
  start_time: 'number',
  end_time: 'number',
  artifact_uri: 'string',
};
const DATASET_KEYS = ['name', 'digest', 'context'];
const NUMBER_OPS = ['=', '!=', '<', '<=', '>', '>='];
const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];
const MAX = 50;

/** An unquoted key may hold these after `prefix.` (the server's lexer); anything else is backtick-quoted. */
const PLAIN_KEY = /^[\w.\-/:]+$/;

/** `prefix.key` as the grammar reads it, quoting keys with other characters (`` ` `` doubled). */
export function fieldText(prefix: string, key: string): string {
  return PLAIN_KEY.test(key) ? `${prefix}.${key}` : `${prefix}.\`${key.replace(/`/g, '``')}\``;
}

interface Tok {
  kind: 'field' | 'word' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma';
  start: number;
  end: number;
  /** field: the prefix as typed (null for a bare word); word: the word. */
  prefix?: string | null;
  /** field: the key (decoded when quoted); word/op: the text. */
  value: string;
  /** An unterminated quote runs to the end of the text. */
  open?: boolean;
}

/**
 * The server's lexer in its tolerant mode (unknown characters skipped, open quotes end the text),
 * its tokens in the terms suggestions need: a key (`prefix.key`, `` `key` ``) is a field, a bare
 * word a word.
 */
function scan(text: string): Tok[] {
  const toks: Tok[] = [];
  for (const t of tokenizeFilter(text, 'filter', { tolerant: true })) {
    if (t.kind === 'eof') continue;
    const kind = t.kind === 'ident' ? (t.prefix === null && t.quote === null ? 'word' : 'field') : t.kind;
    const tok: Tok = { kind, start: t.pos, end: t.end, value: t.value };
    if (kind === 'field') tok.prefix = t.prefix;
    if (t.open) tok.open = true;
    toks.push(tok);
  }
  return toks;
}

type Field = { kind: Kind; key: string };
type State =
  | { expect: 'field' }
  | { expect: 'op'; field: Field }
  | { expect: 'not-in'; field: Field }
  | { expect: 'value'; field: Field }
  | { expect: 'list' }
  | { expect: 'joiner'; depth: number };

function fieldOf(t: Tok): Field {
  if (t.kind === 'word' || t.prefix === null || t.prefix === undefined) return { kind: 'attribute', key: t.value };
  return { kind: PREFIXES[t.prefix.toLowerCase()] ?? 'attribute', key: t.value };
}

/** Walks the complete tokens: what may come next. */
function stateAfter(toks: Tok[]): State {
  let state: State = { expect: 'field' };
  let depth = 0;
  for (const t of toks) {
    const word = t.kind === 'word' ? t.value.toUpperCase() : '';
    switch (state.expect) {
      case 'field':
        if (t.kind === 'lparen') depth++;
        else if (t.kind === 'field' || t.kind === 'word') state = { expect: 'op', field: fieldOf(t) };
        break;
      case 'op':
        if (t.kind === 'op' || word === 'LIKE' || word === 'ILIKE' || word === 'RLIKE')
          state = { expect: 'value', field: state.field };
        else if (word === 'IN') state = { expect: 'list' };
        else if (word === 'NOT') state = { expect: 'not-in', field: state.field };
        break;
      case 'not-in':
        state = word === 'IN' ? { expect: 'list' } : { expect: 'joiner', depth };
        break;
      case 'value':
        state = t.kind === 'lparen' ? { expect: 'list' } : { expect: 'joiner', depth };
        break;
      case 'list':
        if (t.kind === 'rparen') state = { expect: 'joiner', depth };
        break;
      case 'joiner':
        if (word === 'AND' || word === 'OR') state = { expect: 'field' };
        else if (t.kind === 'rparen') depth = Math.max(0, depth - 1);
        break;
    }
  }
  return state.expect === 'joiner' ? { expect: 'joiner', depth } : state;
}

/** Starts-with matches first, then contains; case-insensitive; at most MAX. */
function rank<T>(items: readonly T[], typed: string, text: (t: T) => string): T[] {
  const q = typed.toLowerCase();
  const starts: T[] = [];
  const contains: T[] = [];
  for (const item of items) {
    const s = text(item).toLowerCase();
    if (s.startsWith(q)) starts.push(item);
    else if (q !== '' && s.includes(q)) contains.push(item);
    if (starts.length >= MAX) break;
  }
  return [...starts, ...contains].slice(0, MAX);
}

function keysOf(kind: Kind, keys: FilterKeys): readonly string[] {
  if (kind === 'metric') return keys.metrics;
  if (kind === 'param') return keys.params;
  if (kind === 'tag') return keys.tags;
  if (kind === 'dataset') return DATASET_KEYS;
  return Object.keys(ATTRIBUTES);
}

function keySuggestions(kind: Kind, prefix: string, typed: string, keys: FilterKeys): Suggestion[] {
  return rank(keysOf(kind, keys), typed, (k) => k).map((k) => ({
    label: `${prefix}.${k}`,
    insert: `${fieldText(prefix, k)} `,
    kind: 'key',
  }));
}

function fieldSuggestions(typed: string, keys: FilterKeys): Suggestion[] {
  const prefixes = rank(Object.values(CANONICAL), typed, (p) => p).map(
    (p): Suggestion => ({ label: `${p}.`, insert: `${p}.`, kind: 'field' }),
  );
  if (typed === '') return prefixes;
  const all = (['metric', 'param', 'tag', 'attribute'] as const).flatMap((kind) =>
    keySuggestions(kind, CANONICAL[kind], typed, keys),
  );
  return [...prefixes, ...rank(all, typed, (s) => s.label.slice(s.label.indexOf('.') + 1))].slice(0, MAX);
}

function operatorSuggestions(field: Field, typed: string): Suggestion[] {
  const numeric = field.kind === 'metric' || (field.kind === 'attribute' && ATTRIBUTES[field.key] === 'number');
  const ops = numeric
    ? NUMBER_OPS
    : field.kind === 'dataset'
      ? STRING_OPS.filter((o) => !o.includes('IN'))
      : STRING_OPS;
  return ops
    .filter((o) => o.startsWith(typed.toUpperCase()))
    .map((o) => ({ label: o, insert: `${o} `, kind: 'operator' }));
}

function valueSuggestions(field: Field, typed: string): Suggestion[] {
  if (field.kind !== 'attribute' || field.key !== 'status') return [];
  const q = typed.replace(/^['"]/, '').toUpperCase();
  return RUN_STATUSES.filter((s) => s.startsWith(q)).map((s) => ({
    label: `'${s}'`,
    insert: `'${s}' `,
    kind: 'value',
  }));
}

/** Suggestions for the cursor at `cursor` in `text`, and the range a chosen suggestion replaces. */
export function completeFilter(text: string, cursor: number, keys: FilterKeys): Completion {
  const before = text.slice(0, cursor);
  const toks = scan(before);
  const last = toks[toks.length - 1];
  // The token the cursor touches is the one being typed; the state comes from the tokens before it.
  const touching = last && last.end === before.length && !/\s/.test(before[before.length - 1] ?? ' ');
  const typing = touching && !['lparen', 'rparen', 'comma'].includes(last.kind) ? last : undefined;
  const done = typing ? toks.slice(0, -1) : toks;
  const state = stateAfter(done);
  const from = typing ? typing.start : cursor;
  const none = { from, to: cursor, suggestions: [] };

  switch (state.expect) {
    case 'field': {
      if (!typing) return { from, to: cursor, suggestions: fieldSuggestions('', keys) };
      if (typing.kind === 'field' && typing.prefix) {
        const kind = PREFIXES[typing.prefix.toLowerCase()];
        if (!kind) return none;
        return { from, to: cursor, suggestions: keySuggestions(kind, typing.prefix, typing.value, keys) };
      }
      if (typing.kind === 'word' || typing.kind === 'field')
        return { from, to: cursor, suggestions: fieldSuggestions(typing.value, keys) };
      return none;
    }
    case 'op': {
      const typed = typing && (typing.kind === 'op' || typing.kind === 'word') ? typing.value : '';
      if (typing && !typed) return none;
      return { from, to: cursor, suggestions: operatorSuggestions(state.field, typed) };
    }
    case 'not-in':
      return {
        from,
        to: cursor,
        suggestions: 'IN'.startsWith((typing?.value ?? '').toUpperCase())
          ? [{ label: 'IN', insert: 'IN ', kind: 'keyword' }]
          : [],
      };
    case 'value':
      return {
        from,
        to: cursor,
        suggestions: valueSuggestions(state.field, typing?.kind === 'string' ? `'${typing.value}` : ''),
      };
    case 'list':
      return none;
    case 'joiner': {
      const typed = typing?.kind === 'word' ? typing.value.toUpperCase() : '';
      if (typing && typing.kind !== 'word') return none;
      const words = ['AND', 'OR', ...(state.depth > 0 ? [')'] : [])];
      return {
        from,
        to: cursor,
        suggestions: words
          .filter((w) => w.startsWith(typed))
          .map((w) => ({ label: w, insert: `${w} `, kind: 'keyword' })),
      };
    }
  }
}

/** The text and cursor after accepting `s`. */
export function applySuggestion(text: string, completion: Completion, s: Suggestion): { text: string; cursor: number } {
  const next = text.slice(0, completion.from) + s.insert + text.slice(completion.to);
  return { text: next, cursor: completion.from + s.insert.length };
}
