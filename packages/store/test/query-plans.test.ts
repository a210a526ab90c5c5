import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../test/support/backend.ts';
import type { Store } from '../src/store.ts';
import { explainPostgres, explainSqlite, type Plan } from './support/explain-plan.ts';
import { type HotScenario, runHotPaths, type ScenarioName } from './support/hot-paths.ts';
import { type CaptureStore, openCaptureStore } from './support/sql-capture.ts';

// The search, chart and history reads use their indexes on both databases: every statement these
// paths ran in the fixed scenario (hot-paths.ts) is explained with the values it ran with, and
// every read of a big table must be an index search, never a full scan. SQLite: EXPLAIN QUERY PLAN
// (no statistics, as in production: the plan does not depend on the data). PostgreSQL:
// EXPLAIN (FORMAT JSON) after VACUUM ANALYZE with enable_seqscan off, so a small data set cannot
// make a sequential scan the cheaper plan — a table read with no usable index still plans as a
// sequential scan and fails.
const backend = testBackend();

/** The tables that grow with the data: a full scan of one of these is a bug on a real store. */
const BIG_TABLES = new Set(['runs', 'params', 'run_tags', 'metric_series', 'metric_points', 'metric_chunks']);

const READS = /^\s*\(?\s*(select|with\b(?![\s\S]*\b(insert|update|delete)\b))/i;

let capture: CaptureStore;
const plans = new Map<ScenarioName, Plan[]>();

beforeAll(async () => {
  capture = await openCaptureStore();
  const scenarios = await runHotPaths(capture);
  const { store } = capture;
  // What autovacuum does within a minute of a load: statistics, and a visibility map for index-only scans.
  if (store.ddl.name === 'postgres') await vacuumUntilAllVisible(store);
  for (const s of scenarios as HotScenario[]) {
    if (s.name === 'log-batch') continue;
    const seen = new Set<string>();
    const list: Plan[] = [];
    for (const step of s.steps) {
      for (const statement of step.statements) {
        if (seen.has(statement.sql) || !READS.test(statement.sql)) continue;
        seen.add(statement.sql);
        list.push(
          store.sqlite ? await explainSqlite(store.sqlite, statement) : await explainPostgres(store, statement),
        );
      }
    }
    plans.set(s.name, list);
  }
});

afterAll(() => capture?.close());

/**
 * VACUUM ANALYZE, again until every page of the big tables is marked all-visible: a snapshot held
 * elsewhere at that moment can keep VACUUM from marking them, and without the visibility map
 * PostgreSQL rightly prefers heap scans to the covering indexes these tests expect (seen once with
 * other test files running beside this one).
 */
async function vacuumUntilAllVisible(store: CaptureStore['store']): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await sql`VACUUM ANALYZE`.execute(store.db);
    const { rows } = await sql<{ behind: number }>`SELECT count(*)::int AS behind FROM pg_class
      WHERE relname IN ('metric_chunks', 'metric_points', 'metric_series') AND relallvisible < relpages`.execute(
      store.db,
    );
    if (rows[0].behind === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const describePlan = (p: Plan) => `\n${p.statement.sql}\n--- plan ---\n${p.text}`;

/** Every read of a big table in every statement of the scenario is an index search. */
function expectNoFullScans(name: ScenarioName): void {
  const list = plans.get(name) ?? [];
  expect(list.length, `${name}: statements explained`).toBeGreaterThan(0);
  for (const p of list) {
    for (const a of p.accesses) {
      if (!BIG_TABLES.has(a.table)) continue;
      expect(
        a.indexed,
        `${name}: ${a.table} (${a.alias}) is read by "${a.how}", not an index search:${describePlan(p)}`,
      ).toBe(true);
    }
  }
}

/** In the statements matching `which`, every read of `table` (as `alias`, when given) uses `index`. */
function expectIndex(name: ScenarioName, which: RegExp, table: string, index: string, alias?: string): void {
  const list = (plans.get(name) ?? []).filter((p) => which.test(p.statement.sql));
  expect(list.length, `${name}: statements matching ${which}`).toBeGreaterThan(0);
  for (const p of list) {
    const reads = p.accesses.filter((a) => a.table === table && (alias === undefined || a.alias === alias));
    expect(reads.length, `${name}: no read of ${table} ${alias ?? ''}:${describePlan(p)}`).toBeGreaterThan(0);
    for (const a of reads)
      expect(
        a.indexes,
        `${name}: ${table} (${a.alias}) is read by "${a.how}", not ${index}:${describePlan(p)}`,
      ).toContain(index);
  }
}

/**
 * The order key's index walk: `lead-probe.ts` samples it (…FROM (SELECT o0.run_id FROM <table> o0
 * WHERE o0.key = ? … ORDER BY <value> LIMIT ?)…) on both databases; on SQLite the pages read
 * lead-first are fixed to it by their CROSS JOIN. PostgreSQL chooses the pages' join order from
 * statistics (on this small data set it may start from a selective filter term instead), so
 * there the pages are held to index searches only.
 */
function expectLeadIndex(name: ScenarioName, table: string, index: string): void {
  expectIndex(name, new RegExp(`\\(select o0\\.run_id from "?${table}"? o0\\b`, 'i'), table, index, 'o0');
  if (backend === 'sqlite')
    expectIndex(name, new RegExp(`from "?${table}"? o0 cross join runs\\b`, 'i'), table, index, 'o0');
}

describe(`query plans of the hot reads (${backend})`, () => {
  it('runs/search ordered by a metric: index searches only; the order key is walked on its (key, is_nan, value) index', () => {
    expectNoFullScans('search-runs-filter-order-metric');
    expectLeadIndex('search-runs-filter-order-metric', 'metric_series', 'metric_series_by_key_nan_value');
  });

  it('runs/search ordered by a param: index searches only; the order key is walked on its (key, value) index', () => {
    expectNoFullScans('search-runs-filter-order-param');
    // PostgreSQL indexes (key, left(value, 256)) since migration 0010.
    const index = backend === 'postgres' ? 'params_by_key_value_prefix' : 'params_by_key_value';
    expectLeadIndex('search-runs-filter-order-param', 'params', index);
  });

  it('chart reads of chunked series: index searches only; chunk metadata and summaries come from the covering index', () => {
    expectNoFullScans('metric-chart-chunks');
    expectIndex('metric-chart-chunks', /last_step (between|>)/i, 'metric_chunks', 'metric_chunks_summaries');
  });

  it('chart reads of row series: index searches only', () => {
    expectNoFullScans('metric-chart-rows');
  });

  it('history pages (chunks and rows): index searches only', () => {
    expectNoFullScans('metric-history-chunks');
    expectNoFullScans('metric-history-rows');
  });

  it('bulk-interval step pieces: index searches only; chunk step counts come from their covering index', () => {
    expectNoFullScans('metric-steps-chunks');
    expectIndex('metric-steps-chunks', /sum\(distinct_steps\)/i, 'metric_chunks', 'metric_chunks_step_counts');
    expectIndex('metric-steps-chunks', /distinct_steps_count\s+from/i, 'metric_chunks', 'metric_chunks_step_counts');
    expectIndex(
      'metric-steps-chunks',
      /p.last_step = c.first_step/i,
      'metric_chunks',
      'metric_chunks_step_counts',
      'c',
    );
    // The earlier chunk ending on a chunk's first step (p): a seek on metric_chunks_by_step on SQLite;
    // PostgreSQL may plan a merge semi-join over an index on (series_id, last_step, …) instead.
    if (backend === 'sqlite')
      expectIndex('metric-steps-chunks', /p.last_step = c.first_step/i, 'metric_chunks', 'metric_chunks_by_step', 'p');
    expectNoFullScans('metric-steps-rows');
    expectIndex('metric-steps-rows', /select distinct step/i, 'metric_points', 'metric_points_by_step');
  });
});
