import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withArrayLiterals } from './postgres-array-literal.ts';

/**
 * Hot statements (the ingest writer's, the metric reader's) are sent as named prepared statements:
 * PostgreSQL parses each text once per connection and, after a few executions, may reuse a generic
 * plan, instead of parsing and planning an unnamed statement on every request. Kysely sends every
 * query unnamed, so a statement asks for this by the mark at the start of its text, and each pooled
 * client names marked texts by their hash (the same text always gets the same name; the writer's
 * texts come from a fixed set of shapes, so a connection holds a bounded number of them).
 * Behind a pooler in transaction mode, use one that supports protocol-level prepared statements
 * (PgBouncer ≥ 1.21 with max_prepared_statements), see docs/deployment.md.
 */
const MARK = '/* trove:prepared */ ';

export function prepared(text: string): string {
  return MARK + text;
}

/** The statement as written, without the mark (for logs and the committed SQL). */
export function withoutPreparedMark(text: string): string {
  return text.startsWith(MARK) ? text.slice(MARK.length) : text;
}

const names = new Map<string, string>();
const NAME_CACHE_LIMIT = 1024;

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `trove_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (names.size >= NAME_CACHE_LIMIT) names.clear();
    names.set(text, name);
  }
  return name;
}

type QueryFn = (...args: unknown[]) => unknown;

/** Makes a pooled client send marked texts as named statements (`pool.on('connect', …)`), their scalar arrays as literals. */
export function namePreparedStatements(client: pg.Client | pg.PoolClient): void {
  const query = client.query.bind(client) as QueryFn;
  (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text === 'string' && text.startsWith(MARK) && (args.length === 2 || args.length === 1)) {
      return query({
        name: statementName(text),
        text,
        values: Array.isArray(values) ? withArrayLiterals(values) : values,
      });
    }
    return query(...args);
  };
}
