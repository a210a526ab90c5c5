import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from './schema.ts';
import type { LikePart } from './search/like-pattern.ts';

/**
 * SQLite's choice of how to read a page of traces when the filter has a selective term (a free-text
 * LIKE, a tag or metadata equality). SQLite plans without statistics (none are gathered, as in
 * production), so it always walks the experiment's traces in time order testing the term on each:
 * fast when the term matches many traces, a scan of the whole experiment when it matches few.
 * A driver is a SELECT of the keys of the traces the term can match; reading those and sorting them
 * is cheap when they are few. PostgreSQL's planner makes this choice itself from its statistics.
 */

/**
 * The FTS5 query (over `trace_text`, migration 0015) that selects a superset of the rows a LIKE
 * pattern matches: the trigrams of its literal runs, ANDed (the index has no positions). Undefined
 * when no run has 3 characters.
 */
export function trigramQuery(pattern: LikePart[]): string | undefined {
  const grams = new Set<string>();
  for (const p of pattern) {
    if (p.kind !== 'text') continue;
    const chars = [...p.text];
    for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
  }
  if (grams.size === 0) return undefined;
  return [...grams].map((g) => `"${g.replaceAll('"', '""')}"`).join(' AND ');
}

export const textDriver = (match: string) => sql`SELECT rowid AS pk FROM trace_text WHERE trace_text MATCH ${match}`;

export const kvDriver = (table: 'trace_tags' | 'trace_metadata', key: string, value: string) =>
  sql`SELECT trace_pk AS pk FROM ${sql.table(table)} WHERE key = ${key} AND value = ${value}`;

/** Below this many candidate traces (all experiments), reading them and sorting wins over the walk. */
const FEW = 10_000;

/**
 * The FROM of a page: the first driver with fewer than FEW candidates drives (each trace looked
 * up by key, then sorted: at most FEW rows); otherwise the walk, which meets a page after about
 * page × (traces / matches) rows. Each probe stops counting at FEW, so it stays cheap.
 */
export function drivenFrom(db: Kysely<Database>, drivers: RawBuilder<unknown>[]) {
  return async (): Promise<RawBuilder<unknown>> => {
    for (const driver of drivers) {
      const probe = await sql<{ n: number }>`SELECT count(*) AS n FROM (${driver} LIMIT ${FEW}) d`.execute(db);
      // CROSS JOIN keeps the candidates as SQLite's outer loop.
      if (Number(probe.rows[0].n) < FEW) return sql`(${driver}) dr CROSS JOIN traces ON traces.id = dr.pk`;
    }
    return sql`traces`;
  };
}
