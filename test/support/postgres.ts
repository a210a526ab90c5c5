import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL side of the test matrix: where the server is, how to tell whether it answers,
 * and throwaway databases (one per test server or store, dropped on close).
 *
 * The admin connection goes to the `test` database (`TROVE_TEST_PG_URI` overrides it); test
 * databases are named `trove_t_<base36 seconds>_<run>_<random>` so that a run drops its own and
 * cleans up those of runs that died more than a few hours ago, never a concurrent run's.
 */
export const PG_ADMIN_URI = process.env.TROVE_TEST_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const DB_PREFIX = 'trove_t_';
const STALE_SECONDS = 6 * 3600;

export type PgProbe = { ok: true; version: string } | { ok: false; reason: string };

/** Connects and runs SELECT version() within `timeoutMs`. */
export async function probePostgres(uri = PG_ADMIN_URI, timeoutMs = 3000): Promise<PgProbe> {
  const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>('SELECT version() AS v');
    return { ok: true, version: rows[0].v.split(' on ')[0] };
  } catch (e) {
    const err = e as Error & { code?: string };
    return {
      ok: false,
      reason: `cannot connect to ${redact(uri)}: ${err.code ? `${err.code} ` : ''}${err.message || String(e)}`,
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/** What `npm test` prints when the PostgreSQL half of the matrix cannot run. */
export function skippedBanner(reason: string): string {
  const line = '='.repeat(100);
  return `\n${line}\nPostgreSQL matrix SKIPPED: ${reason}.\nThe store and HTTP tests ran on SQLite only. Start PostgreSQL (or point TROVE_TEST_PG_URI at one) to run them on PostgreSQL too;\nTROVE_REQUIRE_POSTGRES=1 (set by .ci/run) turns this into a failure.\n${line}\n`;
}

export function redact(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Runs statements on the admin database over a short-lived connection. */
export async function adminQuery(statements: string[], uri = PG_ADMIN_URI): Promise<pg.QueryResult[]> {
  const client = new pg.Client({ connectionString: uri });
  client.on('error', () => {});
  await client.connect();
  try {
    const out: pg.QueryResult[] = [];
    for (const s of statements) out.push(await client.query(s));
    return out;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The URI of database `name` on the admin server. */
export function databaseUri(name: string, admin = PG_ADMIN_URI): string {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh prefix for one test run: its databases all start with it. */
export function runPrefix(): string {
  return `${DB_PREFIX}${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(3).toString('hex')}_`;
}

export function quoteIdent(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  return `"${name}"`;
}

/**
 * A new empty database. Byte-order collation (`C`) makes text sort as SQLite sorts it; when a
 * template is given (a database the run migrated once), the copy starts migrated.
 */
export async function createDatabase(name: string, template?: string): Promise<string> {
  const from = template
    ? `TEMPLATE ${quoteIdent(template)}`
    : `TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`;
  // Test databases need no durability against a crash of PostgreSQL itself (a test server that
  // is killed still finds every commit): without a WAL flush per commit the matrix runs faster.
  await adminQuery([
    `CREATE DATABASE ${quoteIdent(name)} ${from}`,
    `ALTER DATABASE ${quoteIdent(name)} SET synchronous_commit = off`,
  ]);
  return databaseUri(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await adminQuery([`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`]);
}

/** Drops the databases of this run (`prefix`) and those of test runs that died long ago. */
export async function dropRunDatabases(prefix: string): Promise<string[]> {
  const [{ rows }] = await adminQuery([`SELECT datname FROM pg_database WHERE datname LIKE '${DB_PREFIX}%'`]);
  const now = Date.now() / 1000;
  const doomed = (rows as { datname: string }[])
    .map((r) => r.datname)
    .filter((name) => {
      if (name.startsWith(prefix)) return true;
      const stamp = Number.parseInt(name.slice(DB_PREFIX.length).split('_')[0], 36);
      return Number.isFinite(stamp) && now - stamp > STALE_SECONDS;
    });
  for (const name of doomed) await dropDatabase(name).catch(() => {});
  return doomed;
}
