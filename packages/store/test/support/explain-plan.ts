import { CompiledQuery, sql } from 'kysely';
import type { Store } from '../../src/store.ts';
import type { CapturedStatement } from './sql-capture.ts';

// EXPLAIN of captured statements on either database, as the plan tests read them: which tables a
// statement reads and whether each read is an index search.

/** One read of a table in a plan. */
export interface Access {
  table: string;
  /** The name the statement gives the table (its alias, or the table). */
  alias: string;
  /** An index search (SQLite SEARCH … USING …; PostgreSQL Index/Index Only/Bitmap scans). */
  indexed: boolean;
  /** The indexes it reads; SQLite's primary keys as 'PRIMARY KEY'. */
  indexes: string[];
  /** The plan line or node type, for messages. */
  how: string;
}

export interface Plan {
  statement: CapturedStatement;
  accesses: Access[];
  text: string;
}

const KEYWORDS = new Set([
  'where',
  'on',
  'cross',
  'left',
  'inner',
  'join',
  'order',
  'group',
  'limit',
  'union',
  'natural',
  'using',
  'set',
  'returning',
  'with',
]);

/** The tables a statement names, by the names it gives them (`FROM params f_p` → f_p → params). */
function tablesByAlias(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/\b(?:from|join)\s+"?([a-z_][a-z0-9_]*)"?(?:\s+(?:as\s+)?"?([a-z_][a-z0-9_]*)"?)?/gi)) {
    const table = m[1].toLowerCase();
    out.set(table, table);
    if (m[2] && !KEYWORDS.has(m[2].toLowerCase())) out.set(m[2], table);
  }
  return out;
}

export async function explainSqlite(raw: NonNullable<Store['sqlite']>, statement: CapturedStatement): Promise<Plan> {
  const rows = raw.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.parameters) as { detail: string }[];
  const aliases = tablesByAlias(statement.sql);
  const accesses: Access[] = [];
  for (const { detail } of rows) {
    const m = /^(SEARCH|SCAN) (\S+)(.*)$/.exec(detail);
    if (!m) continue;
    const table = aliases.get(m[2]) ?? m[2];
    const index =
      /USING (?:COVERING )?INDEX (\S+)/.exec(m[3])?.[1] ??
      (/USING (?:INTEGER )?PRIMARY KEY/.test(m[3]) ? 'PRIMARY KEY' : undefined);
    accesses.push({
      table,
      alias: m[2],
      indexed: m[1] === 'SEARCH' && index !== undefined,
      indexes: index ? [index] : [],
      how: detail,
    });
  }
  return { statement, accesses, text: rows.map((r) => r.detail).join('\n') };
}

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  Plans?: PgNode[];
}

function* walk(node: PgNode): Generator<PgNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* walk(child);
}

const PG_INDEXED = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);

export async function explainPostgres(store: Store, statement: CapturedStatement): Promise<Plan> {
  return store.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    const { rows } = await trx.executeQuery<{ 'QUERY PLAN': { Plan: PgNode }[] }>(
      CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${statement.sql}`, [...statement.parameters]),
    );
    const root = rows[0]['QUERY PLAN'][0].Plan;
    const accesses: Access[] = [];
    for (const node of walk(root)) {
      const table = node['Relation Name'];
      if (!table) continue;
      const indexes =
        node['Node Type'] === 'Bitmap Heap Scan'
          ? [...walk(node)].flatMap((n) => (n['Index Name'] ? [n['Index Name']] : []))
          : node['Index Name']
            ? [node['Index Name']]
            : [];
      accesses.push({
        table,
        alias: node.Alias ?? table,
        indexed: PG_INDEXED.has(node['Node Type']) && indexes.length > 0,
        indexes,
        how: `${node['Node Type']} on ${table}`,
      });
    }
    return { statement, accesses, text: JSON.stringify(root, null, 1) };
  });
}
