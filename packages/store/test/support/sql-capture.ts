import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import { createTestDatabase, testBackend } from '../../../../test/support/backend.ts';
import { withoutPreparedMark } from '../../src/postgres-prepared.ts';
import type { Database } from '../../src/schema.ts';
import { openStore, type Store } from '../../src/store.ts';

/** One statement as the driver ran it: its text and the values bound to it. */
export interface CapturedStatement {
  sql: string;
  parameters: readonly unknown[];
}

/** The statements run while one labelled step of a scenario ran, in the order they ran. */
export interface CapturedStep {
  label: string;
  statements: CapturedStatement[];
}

/**
 * A migrated, empty store of the test backend that records every statement its driver runs while
 * a step is open (`step`). SQLite: every statement goes through better-sqlite3's `prepare` (Kysely's
 * queries and the hot paths' own prepared statements alike), so the statements `prepare` returns
 * are watched and record their text when run — statements prepared but never run are not
 * recorded. PostgreSQL: every statement goes through Kysely (query builders and `CompiledQuery.raw`
 * alike), so the store's `db` is a Kysely with a `log` on the same pool. The pool holds one
 * connection, so statements issued together (`Promise.all`) run, and are recorded, in the order
 * they were issued.
 */
export interface CaptureStore {
  store: Store;
  /** Runs `fn`, recording its statements as a step named `label` (transaction control left out). */
  step<T>(label: string, fn: () => Promise<T> | T): Promise<T>;
  /** The steps recorded since the last call, oldest first. */
  takeSteps(): CapturedStep[];
  close(): Promise<void>;
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|savepoint|release|start transaction)\b/i;

export async function openCaptureStore(): Promise<CaptureStore> {
  const steps: CapturedStep[] = [];
  let current: CapturedStatement[] | undefined;
  const record = (sql: string, parameters: readonly unknown[]) => {
    if (current && !TRANSACTION_CONTROL.test(sql)) current.push({ sql: withoutPreparedMark(sql), parameters });
  };
  let store: Store;
  let close: () => Promise<void>;
  if (testBackend() === 'sqlite') {
    store = await openStore(':memory:');
    watchStatements(store.sqlite as BetterSqlite3.Database, record);
    close = () => store.close();
  } else {
    const { uri, drop } = await createTestDatabase();
    const base = await openStore(uri, { poolSize: 1 });
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: base.pg as NonNullable<Store['pg']> }),
      log: (event) => record(event.query.sql, event.query.parameters),
    });
    store = { ...base, db };
    // Destroying this Kysely ends the shared pool; the store's own Kysely must not end it again.
    close = async () => {
      await db.destroy();
      await drop();
    };
  }
  return {
    store,
    async step(label, fn) {
      if (current) throw new Error(`step '${label}' opened inside another step`);
      const statements: CapturedStatement[] = [];
      current = statements;
      try {
        return await fn();
      } finally {
        current = undefined;
        steps.push({ label, statements });
      }
    },
    takeSteps: () => steps.splice(0, steps.length),
    close,
  };
}

type Runner = 'run' | 'get' | 'all' | 'iterate';

/** Makes every statement `raw` prepares from now on report its text and values when it runs. */
function watchStatements(
  raw: BetterSqlite3.Database,
  record: (sql: string, parameters: readonly unknown[]) => void,
): void {
  const prepare = raw.prepare.bind(raw) as (source: string) => BetterSqlite3.Statement;
  const watched = (source: string) => {
    const statement = prepare(source);
    const target = statement as unknown as Record<Runner, (...args: unknown[]) => unknown>;
    for (const method of ['run', 'get', 'all', 'iterate'] as const) {
      const run = target[method];
      target[method] = (...args: unknown[]) => {
        // Kysely binds one array; the hot paths spread their values.
        record(statement.source, args.length === 1 && Array.isArray(args[0]) ? args[0] : args);
        return run.apply(statement, args);
      };
    }
    return statement;
  };
  raw.prepare = watched as unknown as BetterSqlite3.Database['prepare'];
}
