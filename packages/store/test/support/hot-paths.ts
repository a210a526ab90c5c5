import { createMetricReader } from '../../src/metrics/metric-reader.ts';
import { loadRuns } from '../../src/repositories/run.repository.ts';
import { createRunDataWriter } from '../../src/run-data-writer.ts';
import { type RunSearchQuery, searchRuns } from '../../src/search/index.ts';
import { point } from '../metrics/metric-store-fixture.ts';
import { type SeedRun, seedExperiment, seedRuns, seedWorkspace, uuidFor } from '../search/seed.ts';
import type { CapturedStep, CaptureStore } from './sql-capture.ts';
import { formatSql } from './sql-format.ts';

/**
 * The hot paths of the store run over one fixed data set, step by step, so that the statements
 * each runs can be recorded (`sql-capture.ts`): runs/search as the server runs it (`searchRuns`,
 * then `loadRuns` for the page), metric history pages, chart reads and log-batch writes, each on
 * series stored as chunks and as rows. Everything here is deterministic: the same code gives the
 * same statements, in the same order, the same number of times.
 */
export interface HotScenario {
  /** File name, without `.sql`. */
  name: ScenarioName;
  /** What the statements are for, one line. */
  title: string;
  steps: CapturedStep[];
}

export const SCENARIOS = [
  'search-runs-filter-order-metric',
  'search-runs-filter-order-param',
  'metric-history-chunks',
  'metric-history-rows',
  'metric-chart-chunks',
  'metric-chart-rows',
  'metric-steps-chunks',
  'metric-steps-rows',
  'log-batch',
] as const;

export type ScenarioName = (typeof SCENARIOS)[number];

const SEARCH_EXPERIMENT = 1;
const WRITE_EXPERIMENT = 2;
const SEARCH_RUNS = 40;

/** Runs of the search experiment: params, tags and metrics with gaps and NaN, so every result segment has rows. */
function searchRunsData(): SeedRun[] {
  return Array.from({ length: SEARCH_RUNS }, (_, i) => {
    const params: Record<string, string> = { optimizer: i % 2 === 1 ? 'adam' : 'sgd' };
    if (i % 5 !== 4) params.lr = ['0.001', '0.01', '0.1'][i % 3];
    const metrics: Record<string, number> = { loss: 1 / (i + 1) };
    if (i % 7 === 3) metrics.acc = Number.NaN;
    else if (i % 11 !== 5) metrics.acc = ((i * 37) % 100) / 100;
    return {
      name: `run-${i}`,
      experiment: SEARCH_EXPERIMENT,
      start: 1000 + i,
      params,
      tags: { team: i % 4 === 0 ? 'nlp' : 'vision' },
      metrics,
    };
  });
}

/** Points 0..n-1 in history order (packable: they are stored as chunks). */
function ordered(key: string, n: number, from = 0) {
  return Array.from({ length: n }, (_, k) =>
    point(key, Math.sin((from + k) / 10), from + k, 1_700_000_000_000 + from + k),
  );
}

/** Points whose steps go down as timestamps go up: not packable, so the series is stored as rows. */
function reversed(key: string, n: number) {
  return Array.from({ length: n }, (_, k) => point(key, Math.cos(k / 10), n - k, 1_700_000_000_000 + k));
}

/** Seeds the data set, then runs every scenario; returns them in `SCENARIOS` order. */
export async function runHotPaths(capture: CaptureStore): Promise<HotScenario[]> {
  const { store, step } = capture;
  await seedWorkspace(store);
  await seedExperiment(store, SEARCH_EXPERIMENT);
  await seedExperiment(store, WRITE_EXPERIMENT);
  await seedRuns(store, searchRunsData());
  const writeRunData = ['history', 'chart', 'batch'].map((name, i) => ({
    name,
    experiment: WRITE_EXPERIMENT,
    start: i,
  }));
  const writeRuns = [...(await seedRuns(store, writeRunData, SEARCH_RUNS + 1)).keys()];
  const [historyRun, chartRun, batchRun] = writeRuns.map((id, i) => ({ id, uuid: uuidFor(SEARCH_RUNS + 1 + i) }));
  const writer = createRunDataWriter(store);
  const reader = createMetricReader(store);
  const out: HotScenario[] = [];
  const scenario = async (name: ScenarioName, title: string, body: () => Promise<void>) => {
    capture.takeSteps();
    await body();
    out.push({ name, title, steps: capture.takeSteps() });
  };

  const search = (filter: string, orderBy: string[]) => async () => {
    const query: RunSearchQuery = {
      experimentIds: [SEARCH_EXPERIMENT],
      viewType: 'ACTIVE_ONLY',
      maxResults: 5,
      filter,
      orderBy,
    };
    const first = await step(
      `filter ${JSON.stringify(filter)}, order_by ${JSON.stringify(orderBy)}: first page (max_results 5)`,
      () => searchRuns(store, query),
    );
    await step('loadRuns: the runs of the first page', () => loadRuns(store.db, first.runIds));
    await step('the following pages, with the page token, to the end', async () => {
      let token = first.nextPageToken;
      while (token !== undefined) token = (await searchRuns(store, { ...query, pageToken: token })).nextPageToken;
    });
  };
  await scenario(
    'search-runs-filter-order-metric',
    'runs/search, filtered on a param, a metric and a tag, ordered by a metric',
    search("params.optimizer = 'adam' and metrics.loss < 0.5 and tags.team != 'nlp'", ['metrics.acc DESC']),
  );
  await scenario(
    'search-runs-filter-order-param',
    'runs/search, filtered on a metric and a tag, ordered by a param',
    search("metrics.loss < 0.5 and tags.team = 'vision'", ['params.lr ASC']),
  );

  // 600 points each: 3 chunks, or 600 rows.
  await writer.write(historyRun.id, historyRun.uuid, {
    params: [],
    tags: [],
    metrics: [...ordered('chunked', 600), ...reversed('rows', 600)],
  });
  const history = (key: string) => async () => {
    const series = (await step(`findSeries (run, '${key}')`, () => reader.findSeries(historyRun.id, key))) as number;
    const first = await step('first page (max_results 100: limit 101)', () => reader.page(series, 101, undefined));
    const last = first[99];
    await step('next page (the page token: the last point of the previous page)', () =>
      reader.page(series, 101, { timestamp: last.timestamp, step: last.step, isNan: last.is_nan, value: last.value }),
    );
  };
  await scenario(
    'metric-history-chunks',
    'get-history pages of a series stored as chunks (MetricReader.page)',
    history('chunked'),
  );
  await scenario(
    'metric-history-rows',
    'get-history pages of a series stored as rows (MetricReader.page)',
    history('rows'),
  );

  // 3,000 points: 12 chunks of at most 256, so a 40-point chart (10 M4 buckets) reads chunk summaries.
  await writer.write(chartRun.id, chartRun.uuid, {
    params: [],
    tags: [],
    metrics: [...ordered('chunked', 3000), ...reversed('rows', 600)],
  });
  await scenario('metric-chart-chunks', 'chart reads of a series stored as chunks (MetricReader.chart)', async () => {
    const series = (await step("findSeries (run, 'chunked')", () =>
      reader.findSeries(chartRun.id, 'chunked'),
    )) as number;
    await step('the whole series at 40 points (12 chunks: from chunk summaries)', () => reader.chart(series, 40));
    await step('steps 1000..1300 at 40 points (2 chunks: blobs decoded)', () => reader.chart(series, 40, 1000n, 1300n));
  });
  await scenario('metric-chart-rows', 'chart reads of a series stored as rows (MetricReader.chart)', async () => {
    const series = (await step("findSeries (run, 'rows')", () => reader.findSeries(chartRun.id, 'rows'))) as number;
    await step('the whole series at 40 points (history pages through M4)', () => reader.chart(series, 40));
    await step('steps 100..300 at 40 points', () => reader.chart(series, 40, 100n, 300n));
  });

  // get-history-bulk-interval: MLflow's step choice over step pieces, then the points at the picked steps.
  // 30 points at every third step after the history series' 600: they extend its 88-point tail
  // chunk (no new chunk row, so the chart plans above see the same table), which then no longer
  // holds every step of its range.
  await writer.write(historyRun.id, historyRun.uuid, {
    params: [],
    tags: [],
    metrics: Array.from({ length: 30 }, (_, k) => point('chunked', k, 700 + 3 * k, 1_700_000_001_000 + k)),
  });
  await scenario(
    'metric-steps-chunks',
    'bulk-interval step pieces of series stored as chunks (MetricReader.stepPieces, pieceSteps, atSteps)',
    async () => {
      const series = (await step("findSeries (run, 'chunked')", () =>
        reader.findSeries(chartRun.id, 'chunked'),
      )) as number;
      await step('every step in pieces (12 chunks holding every step: two aggregates, no chunk row)', () =>
        reader.stepPieces(series),
      );
      await step('the steps up to 1300 in pieces (6 chunks)', () => reader.stepPieces(series, 1300n));
      const sparse = (await step("findSeries (history run, 'chunked')", () =>
        reader.findSeries(historyRun.id, 'chunked'),
      )) as number;
      const found = await step(
        "a sparse series' steps up to 750 in pieces (3 chunks, the last with gaps: chunk metadata)",
        () => reader.stepPieces(sparse, 750n),
      );
      await step("a sparse chunk piece's steps (its blob decoded)", () =>
        reader.pieceSteps((found?.pieces ?? []).filter((p) => p.chunk)),
      );
      await step('the points at 5 picked steps', () => reader.atSteps(series, [0n, 700n, 1400n, 2100n, 2999n]));
    },
  );
  await scenario(
    'metric-steps-rows',
    'bulk-interval step pieces of a series stored as rows (MetricReader.stepPieces, atSteps)',
    async () => {
      const series = (await step("findSeries (run, 'rows')", () => reader.findSeries(chartRun.id, 'rows'))) as number;
      await step('the distinct steps up to 300', () => reader.stepPieces(series, 300n));
      await step('the points at 3 picked steps', () => reader.atSteps(series, [1n, 300n, 600n]));
    },
  );

  await scenario('log-batch', 'log-batch writes (RunDataWriter.write)', async () => {
    const { id, uuid } = batchRun;
    const params = [
      { key: 'lr', value: '0.01', valueType: 'string' },
      { key: 'optimizer', value: 'adam', valueType: 'string' },
    ];
    await step(
      'a first batch: 2 params, 2 tags (one the run name), 2 new metrics of 10 points each (stored as chunks)',
      () =>
        writer.write(id, uuid, {
          params,
          tags: [
            { key: 'team', value: 'vision' },
            { key: 'mlflow.runName', value: 'batch-renamed' },
          ],
          metrics: [...ordered('loss', 10), ...ordered('acc', 10)],
        }),
    );
    await step(
      'the next batch: the same params again, a tag changed, 10 more points of each metric (the chunk tails grow)',
      () =>
        writer.write(id, uuid, {
          params,
          tags: [{ key: 'team', value: 'nlp' }],
          metrics: [...ordered('loss', 10, 10), ...ordered('acc', 10, 10)],
        }),
    );
    await step('a batch of a new metric whose steps go down (stored as rows, 60 points)', () =>
      writer.write(id, uuid, { params: [], tags: [], metrics: reversed('grad', 60) }),
    );
    await step('more points of that metric (rows)', () =>
      writer.write(id, uuid, { params: [], tags: [], metrics: reversed('grad', 70) }),
    );
  });
  return out;
}

export const UPDATE_COMMAND =
  'TROVE_UPDATE_SQL=1 TROVE_REQUIRE_POSTGRES=1 npx vitest run packages/store/test/queries.test.ts';

const DIALECT_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

/**
 * A scenario's committed file: per step, each distinct statement once, in the order first run,
 * laid out by `formatSql`, with how many times the step ran it when more than once.
 */
export function renderScenario(scenario: HotScenario, dialect: keyof typeof DIALECT_NAMES): string {
  const out = [
    `-- ${scenario.title}: the SQL the store runs on ${DIALECT_NAMES[dialect]}.`,
    '-- Generated by packages/store/test/queries.test.ts from the fixed scenario in packages/store/test/support/hot-paths.ts; do not edit.',
    `-- After a change to this SQL, regenerate and commit: ${UPDATE_COMMAND}`,
  ];
  for (const { label, statements } of scenario.steps) {
    out.push('', `-- ## ${label}`);
    if (statements.length === 0) out.push('-- (no statement)');
    const counts = new Map<string, number>();
    for (const s of statements) counts.set(s.sql, (counts.get(s.sql) ?? 0) + 1);
    for (const [sql, n] of counts) {
      out.push('');
      if (n > 1) out.push(`-- run ${n} times`);
      out.push(`${formatSql(sql)};`);
    }
  }
  return `${out.join('\n')}\n`;
}
