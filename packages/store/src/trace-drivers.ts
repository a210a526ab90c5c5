import { type Kysely, type RawBuilder, sql } from 'kysely';
import { TEXT_PREFIX_CHARS } from './migrations/0010_long_text_values.ts';
import type { Database } from './schema.ts';
import type { LikePart } from './search/like-pattern.ts';

/**
 * SQLite's choice of how to read a page of traces when the filter has a selective term (a free-text
 * LIKE, a tag or metadata equality). SQLite plans without statistics (none are gathered, as in
 * production), so it always walks the experiment's traces in time order testing the term on each:
 * fast when the term matches many traces, a scan of the whole experiment when it matches few.
 * A driver is a SELECT of the keys of the traces the term can match; reading those and sorting them
 * is cheap when they are few. PostgreSQL's planner chooses itself, from statistics that misjudge a
 * tag's value (its index is on a prefix expression): it drove a common tag's 20k rows and sorted
 * them (100 ms at 100k traces) where the walk takes 1 ms. So there a term with many candidates is
 * written so that it cannot become a join (a scalar subquery per row), and the walk is what remains.
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

/** The prefix condition lets PostgreSQL use its (key, value-prefix) index (migration 0010). */
export const kvDriver = (table: 'trace_tags' | 'trace_metadata', key: string, value: string) =>
  sql`SELECT trace_pk AS pk FROM ${sql.table(table)} WHERE key = ${key} AND substr(value, 1, ${TEXT_PREFIX_CHARS}) = substr(${value}, 1, ${TEXT_PREFIX_CHARS}) AND value = ${value}`;

/** Below this many candidate traces (all experiments), reading them and sorting wins over the walk. */
const FEW = 10_000;

/** Whether a driver has few candidates; counting stops at FEW, so the probe stays cheap. */
export async function fewCandidates(db: Kysely<Database>, driver: RawBuilder<unknown>): Promise<boolean> {
  const probe = await sql<{ n: number }>`SELECT count(*) AS n FROM (${driver} LIMIT ${FEW}) d`.execute(db);
  return Number(probe.rows[0].n) < FEW;
}

/**
 * SQLite: the page read from a driver's candidates (each trace looked up by key, then sorted: at
 * most FEW rows), instead of the walk, which meets a page after about page × (traces / matches)
 * rows. CROSS JOIN keeps the candidates as SQLite's outer loop.
 */
export const drivenFrom = (driver: RawBuilder<unknown>) => sql`(${driver}) dr CROSS JOIN traces ON traces.id = dr.pk`;
