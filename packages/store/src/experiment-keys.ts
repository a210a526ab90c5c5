import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.ts';

/**
 * The registry of keys per experiment (migration 0009): every param, metric and run tag key any
 * of its runs has logged. Writers add a key in the transaction that may make it new to the
 * experiment (a new param, a new metric series, a tag set); nothing is computed at read time,
 * because asking the big tables which keys an experiment's runs have costs about a second per
 * 100k runs. Keys are never taken out: a key no run holds any more (tag deleted or renamed, runs
 * purged) stays as a suggestion that matches nothing, and only a purged experiment loses its rows.
 */
export type ExperimentKeyKind = 'param' | 'metric' | 'tag';

export interface ExperimentKeyTable {
  experiment_id: number;
  kind: ExperimentKeyKind;
  key: string;
}

export interface ExperimentKey {
  experimentId: number;
  kind: ExperimentKeyKind;
  key: string;
}

/** A kind and key without the experiment, which the run-data writers look up from the run. */
export type RunKey = Pick<ExperimentKey, 'kind' | 'key'>;

export interface ExperimentKeys {
  params: string[];
  metrics: string[];
  tags: string[];
}

type KeysDb = Kysely<Database & { experiment_keys: ExperimentKeyTable }>;

// The table is typed here rather than in `schema.ts`, so the feature stays in its own files.
const keysDb = (db: Kysely<Database>): KeysDb => db.withTables<{ experiment_keys: ExperimentKeyTable }>();

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Distinct and in one order (experiment, kind, key): concurrent PostgreSQL transactions that add
 * the same new keys then wait on each other in the same order instead of deadlocking.
 */
function orderedKeys(keys: readonly ExperimentKey[]): ExperimentKey[] {
  const seen = new Map<string, ExperimentKey>();
  for (const k of keys) seen.set(`${k.experimentId}\0${k.kind}\0${k.key}`, k);
  return [...seen.values()].sort(
    (a, b) => a.experimentId - b.experimentId || compareText(a.kind, b.kind) || compareText(a.key, b.key),
  );
}

const BATCH = 500;

/** Adds keys to the registry (those already there are left alone), inside the caller's transaction. */
export async function registerExperimentKeys(db: Kysely<Database>, keys: readonly ExperimentKey[]): Promise<void> {
  const rows = orderedKeys(keys).map((k) => ({ experiment_id: k.experimentId, kind: k.kind, key: k.key }));
  for (let i = 0; i < rows.length; i += BATCH) {
    await keysDb(db)
      .insertInto('experiment_keys')
      .values(rows.slice(i, i + BATCH))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Every key of the experiment, per kind, in byte order (the primary key's). */
export async function listExperimentKeys(db: Kysely<Database>, experimentId: number): Promise<ExperimentKeys> {
  const rows = await keysDb(db)
    .selectFrom('experiment_keys')
    .select(['kind', 'key'])
    .where('experiment_id', '=', experimentId)
    .orderBy('kind')
    .orderBy('key')
    .execute();
  const out: ExperimentKeys = { params: [], metrics: [], tags: [] };
  const list = { param: out.params, metric: out.metrics, tag: out.tags };
  for (const r of rows) list[r.kind]?.push(r.key);
  return out;
}

/** Removes a purged experiment's keys. */
export async function deleteExperimentKeys(db: Kysely<Database>, experimentId: number): Promise<void> {
  await keysDb(db).deleteFrom('experiment_keys').where('experiment_id', '=', experimentId).execute();
}

const SOURCES: [ExperimentKeyKind, string][] = [
  ['param', 'params'],
  ['metric', 'metric_series'],
  ['tag', 'run_tags'],
];

/**
 * Adds every key the runs hold that the registry lacks (what previous-release replicas wrote
 * during a rolling upgrade), the way migration 0009 filled it: one statement per kind over the
 * whole database. Safe while servers run; on SQLite each statement holds the write lock for its
 * duration (seconds on millions of rows). Returns the number of keys added.
 */
export async function rebuildExperimentKeys(db: Kysely<Database>): Promise<number> {
  let added = 0;
  for (const [kind, table] of SOURCES) {
    // `WHERE true`: SQLite's parser needs a WHERE before an upsert clause after INSERT … SELECT … JOIN.
    const res = await sql
      .raw(`INSERT INTO experiment_keys (experiment_id, kind, key)
        SELECT DISTINCT r.experiment_id, '${kind}', x.key FROM ${table} x JOIN runs r ON r.id = x.run_id WHERE true
        ORDER BY 1, 3
        ON CONFLICT DO NOTHING`)
      .execute(db);
    added += Number(res.numAffectedRows ?? 0);
  }
  return added;
}

/**
 * SQLite: registers a run's keys with prepared statements, for the ingest writer's transaction.
 * The experiment is looked up only when there is something to register.
 */
export function createSqliteKeyRegistrar(
  raw: BetterSqlite3.Database,
): (runId: number, keys: readonly RunKey[]) => void {
  const experimentOf = raw.prepare<[number], { experiment_id: number }>('SELECT experiment_id FROM runs WHERE id = ?');
  const insert = raw.prepare('INSERT OR IGNORE INTO experiment_keys (experiment_id, kind, key) VALUES (?, ?, ?)');
  return (runId, keys) => {
    if (keys.length === 0) return;
    const run = experimentOf.get(runId);
    if (!run) return;
    for (const k of keys) insert.run(run.experiment_id, k.kind, k.key);
  };
}

/**
 * PostgreSQL: the statement registering the `kind` keys of run `$1` listed by `from` (a FROM item
 * named `s` with a `key` column), in key order. The ingest writer runs it as a data-modifying CTE
 * of the statement that writes the rows, so registering costs no round trip of its own.
 */
export function pgRegisterKeysFrom(kind: ExperimentKeyKind, from: string): string {
  return `INSERT INTO experiment_keys (experiment_id, kind, key)
SELECT r.experiment_id, '${kind}', s.key FROM runs r, ${from} WHERE r.id = $1 ORDER BY s.key
ON CONFLICT DO NOTHING`;
}
