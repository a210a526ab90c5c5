import type { FilterAst, RawComparison, RawFilter, RawValue, SearchEntity } from './ast.ts';
import type { Token } from './filter-lexer.ts';
import { validateFilter } from './filter-validate.ts';
import { describe, TokenStream } from './token-stream.ts';

/** Parses and validates a filter string for `entity`; throws INVALID_PARAMETER_VALUE on any problem. */
export function parseFilter(filter: string, entity: SearchEntity): FilterAst {
  return validateFilter(parseFilterSyntax(filter), entity, filter);
}

/**
 * Grammar (AND binds tighter than OR; OR and parentheses are Trove extensions):
 *   or := and ('OR' and)*      and := primary ('AND' primary)*
 *   primary := '(' or ')' | identifier comparator value
 */
export function parseFilterSyntax(filter: string): RawFilter {
  if (filter.trim() === '') return { type: 'all' };
  const ts = new TokenStream(filter, 'filter');
  const result = parseOr(ts);
  ts.expectEnd();
  return result;
}

function parseOr(ts: TokenStream): RawFilter {
  const children = [parseAnd(ts)];
  while (ts.isKeyword('OR')) {
    ts.next();
    children.push(parseAnd(ts));
  }
  return children.length === 1 ? children[0] : { type: 'or', children };
}

function parseAnd(ts: TokenStream): RawFilter {
  const children = [parsePrimary(ts)];
  while (ts.isKeyword('AND')) {
    ts.next();
    children.push(parsePrimary(ts));
  }
  return children.length === 1 ? children[0] : { type: 'and', children };
}

function parsePrimary(ts: TokenStream): RawFilter {
  if (ts.peek().kind === 'lparen') {
    ts.next();
    const inner = parseOr(ts);
    const close = ts.next();
    if (close.kind !== 'rparen') throw ts.fail(close, `expected ')', found ${describe(close)}`);
    return inner;
  }
  return parseComparison(ts);
}

const WORD_OPS = new Set(['LIKE', 'ILIKE', 'RLIKE', 'IN']);

function parseComparison(ts: TokenStream): RawComparison {
  const ident = ts.identifier();
  const opToken = ts.next();
  const bare =
    opToken.kind === 'ident' && opToken.prefix === null && opToken.quote === null ? opToken.value.toUpperCase() : null;
  let op: string;
  if (opToken.kind === 'op') {
    op = opToken.value;
  } else if (bare !== null && WORD_OPS.has(bare)) {
    op = bare;
  } else if (bare === 'NOT') {
    if (!ts.isKeyword('IN')) throw ts.fail(opToken, "NOT is only supported as 'NOT IN'");
    ts.next();
    op = 'NOT IN';
  } else {
    throw ts.fail(
      opToken,
      `expected a comparison operator after '${ts.source.slice(ident.pos, opToken.pos).trim()}', found ${describe(opToken)}`,
    );
  }
  const value = op === 'IN' || op === 'NOT IN' ? parseList(ts) : parseScalar(ts);
  return { type: 'comparison', ident, op, opPos: opToken.pos, value };
}

function parseScalar(ts: TokenStream): RawValue {
  const t = ts.next();
  if (t.kind === 'string') return { kind: 'string', value: t.value, pos: t.pos };
  if (t.kind === 'number') return { kind: 'number', value: toNumber(t), text: t.text, pos: t.pos };
  if (t.kind === 'ident')
    throw ts.fail(t, `unquoted string value ${describe(t)}; wrap string values in single or double quotes`);
  if (t.kind === 'lparen') throw ts.fail(t, 'a parenthesised list is only allowed after IN or NOT IN');
  throw ts.fail(t, `expected a value, found ${describe(t)}`);
}

function parseList(ts: TokenStream): RawValue {
  const open = ts.next();
  if (open.kind !== 'lparen') throw ts.fail(open, `expected '(' to start the IN list, found ${describe(open)}`);
  const values: string[] = [];
  if (ts.peek().kind === 'rparen') throw ts.fail(ts.peek(), 'the IN list must contain at least one quoted string');
  for (;;) {
    const item = ts.next();
    if (item.kind !== 'string') throw ts.fail(item, `IN list values must be quoted strings, found ${describe(item)}`);
    values.push(item.value);
    const sep = ts.next();
    if (sep.kind === 'rparen') break;
    if (sep.kind !== 'comma') throw ts.fail(sep, `expected ',' or ')' in the IN list, found ${describe(sep)}`);
  }
  return { kind: 'list', value: values, pos: open.pos };
}

// Stored infinities are clamped to ±DBL_MAX (reference §15.4), so literals beyond it compare the same way.
function toNumber(t: Token): number {
  const n = Number(t.text);
  if (n === Number.POSITIVE_INFINITY) return Number.MAX_VALUE;
  if (n === Number.NEGATIVE_INFINITY) return -Number.MAX_VALUE;
  return n;
}
