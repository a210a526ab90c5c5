import { invalidParam, LIMITS } from '@trove/protocol';
import {
  createMetricReader,
  type HistoryColumns,
  type HistoryCursor,
  type SeriesSteps,
  type Store,
} from '@trove/store';
import { RawJson } from '../http/raw-json.ts';
import { columnsBody, pointsJson } from './history-json.ts';
import { createReadAhead } from './history-read-ahead.ts';
import { mlflowSampledStepsOf } from './mlflow-step-sampling.ts';
import type { RunService } from './run.service.ts';
import type { Workspace } from './workspace.service.ts';

function encodeCursor(p: { timestamp: number | bigint; step: number | bigint; is_nan: number; value: number }): string {
  return Buffer.from(JSON.stringify([String(p.timestamp), String(p.step), p.is_nan, p.value])).toString('base64url');
}

/** Point `i` of a columns page as a cursor's fields (a NaN point's value is 0, as stored). */
function cursorAt(page: HistoryColumns, i: number) {
  const v = page.values[i];
  const nan = Number.isNaN(v);
  return { timestamp: page.timestamps[i], step: page.steps[i], is_nan: nan ? 1 : 0, value: nan ? 0 : v };
}

function decodeCursor(token: string): HistoryCursor {
  try {
    const [t, s, n, v] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [
      string,
      string,
      number,
      number,
    ];
    if (!/^-?\d+$/.test(t) || !/^-?\d+$/.test(s) || typeof n !== 'number' || typeof v !== 'number')
      throw new Error('shape');
    return { timestamp: BigInt(t), step: BigInt(s), isNan: n, value: v };
  } catch {
    throw invalidParam(`Invalid page token '${token.slice(0, 60)}'.`);
  }
}

/** A page of get-history as sent, and where the next one starts. */
interface HistoryPage {
  body: RawJson;
  next?: { token: string; cursor: HistoryCursor };
}

const aheadKey = (series: number, maxResults: number | undefined, token: string) =>
  `${series}:${maxResults ?? ''}:${token}`;

export function createMetricHistoryService(store: Store, runs: RunService) {
  const reader = createMetricReader(store);
  // The next page of a paged history, read while the client parses the current one.
  const ahead = createReadAhead<HistoryPage>();

  async function history(
    ws: Workspace,
    runUuid: string,
    key: string,
    maxResults?: number,
    pageToken?: string,
  ): Promise<RawJson> {
    if (maxResults !== undefined && maxResults < 1)
      throw invalidParam(`Invalid value ${maxResults} for parameter 'max_results' supplied.`);
    const after = pageToken ? decodeCursor(pageToken) : undefined;
    const run = await runs.getRow(ws, runUuid);
    const series = await reader.findSeries(run.id, key);
    if (series === undefined) return new RawJson('{}');
    const found = pageToken ? ahead.take(aheadKey(series, maxResults, pageToken)) : undefined;
    let result: HistoryPage | undefined;
    if (found) {
      // Unchanged since the page's version was read before the page: what a read now would give.
      const [then, current] = await Promise.all([found.version, reader.seriesVersion(series)]);
      if (then !== undefined && then === current) result = await found.page;
    }
    result ??= await readPage(series, key, maxResults, after);
    const { next } = result;
    // A walk's first page, or a page this process had read ahead: behind a balancer that spreads a
    // walk's requests over replicas, the others would read ahead pages asked of someone else.
    if (next && maxResults !== undefined && (!pageToken || found))
      ahead.start(
        aheadKey(series, maxResults, next.token),
        () => reader.seriesVersion(series),
        () => readPage(series, key, maxResults, next.cursor),
      );
    return result.body;
  }

  /** One page of history as its reply, with the token and cursor of the next page where there is one. */
  async function readPage(
    series: number,
    key: string,
    maxResults: number | undefined,
    after: HistoryCursor | undefined,
  ): Promise<HistoryPage> {
    const limit = maxResults === undefined ? undefined : maxResults + 1;
    const page = await reader.historyPage(series, limit, after);
    const count = maxResults === undefined ? page.length : Math.min(page.length, maxResults);
    if (count === 0) return { body: new RawJson('{}') };
    const more = count < page.length;
    const token = more ? encodeCursor(Array.isArray(page) ? page[count - 1] : cursorAt(page, count - 1)) : undefined;
    const rest = token ? `,"next_page_token":"${token}"` : '';
    const next = token ? { token, cursor: decodeCursor(token) } : undefined;
    if (!Array.isArray(page)) return { body: new RawJson(columnsBody(key, page, count, rest)), next };
    if (more) page.length = count;
    return { body: new RawJson(Buffer.from(`{"metrics":${pointsJson(key, page)}${rest}}`, 'utf8')), next };
  }

  async function seriesOf(ws: Workspace, runIds: string[], key: string) {
    const out: { runUuid: string; series: number }[] = [];
    for (const runUuid of runIds) {
      const run = await runs.getRow(ws, runUuid);
      const series = await reader.findSeries(run.id, key);
      if (series !== undefined) out.push({ runUuid, series });
    }
    return out;
  }

  /**
   * MLflow's UI sampling API: the steps MLflow picks (mlflow-step-sampling.ts), every run's points at
   * them. The runs' distinct steps come as pieces from chunk metadata (dense chunks are ranges of
   * consecutive steps), so the choice reads the few chunks it must look into, not every point.
   */
  async function bulkInterval(
    ws: Workspace,
    input: {
      run_ids: string[];
      metric_key: string;
      start_step?: number | bigint;
      end_step?: number | bigint;
      max_results?: number | bigint;
    },
  ): Promise<RawJson> {
    const { run_ids: runIds, metric_key: key } = input;
    if (runIds.length === 0) throw invalidParam("Missing value for required parameter 'run_ids'.");
    if (runIds.length > LIMITS.bulkIntervalRunIds)
      throw invalidParam(
        `GetMetricHistoryBulkInterval request must specify at most ${LIMITS.bulkIntervalRunIds} run_ids. Received ${runIds.length} run_ids.`,
      );
    const max = input.max_results === undefined ? LIMITS.bulkIntervalMaxResults : Number(input.max_results);
    if (!(max >= 1 && max <= LIMITS.bulkIntervalMaxResults))
      throw invalidParam(`max_results must be between 1 and ${LIMITS.bulkIntervalMaxResults}.`);
    const hasStart = input.start_step !== undefined;
    if (hasStart !== (input.end_step !== undefined))
      throw invalidParam('If either start step or end step are specified, both must be specified.');
    const range = hasStart
      ? { start: BigInt(input.start_step as number), end: BigInt(input.end_step as number) }
      : undefined;
    if (range && range.start > range.end)
      throw invalidParam(
        `end_step must be greater than start_step. Found start_step=${range.start} and end_step=${range.end}.`,
      );
    const all = await seriesOf(ws, [...new Set(runIds)], key);
    const steps = await Promise.all(all.map((s) => reader.stepPieces(s.series, range?.end)));
    const sampled = await mlflowSampledStepsOf(
      steps.filter((s): s is SeriesSteps => s !== undefined),
      max,
      range,
      (pieces) => reader.pieceSteps(pieces),
    );
    const parts: string[] = [];
    for (const s of all) {
      const points = (await reader.atSteps(s.series, sampled)).slice(0, LIMITS.bulkIntervalPointsPerRun);
      if (points.length > 0) parts.push(pointsJson(key, points, s.runUuid).slice(1, -1));
    }
    return new RawJson(parts.length > 0 ? `{"metrics":[${parts.join(',')}]}` : '{}');
  }

  /** The UI's `get-history-bulk`: full histories of up to 100 runs, capped at max_results points. */
  async function bulk(
    ws: Workspace,
    input: { run_id?: string[]; metric_key?: string; max_results?: number | bigint },
  ): Promise<RawJson> {
    const runIds = input.run_id ?? [];
    const key = input.metric_key;
    if (runIds.length === 0) throw invalidParam('GetMetricHistoryBulk request must specify at least one run_id.');
    if (runIds.length > 100)
      throw invalidParam(
        `GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received ${runIds.length} run_ids.`,
      );
    if (!key) throw invalidParam('GetMetricHistoryBulk request must specify a metric_key.');
    const max = input.max_results === undefined ? LIMITS.bulkHistoryMaxResults : Number(input.max_results);
    if (!(max >= 1 && max <= LIMITS.bulkHistoryMaxResults))
      throw invalidParam(`max_results must be between 1 and ${LIMITS.bulkHistoryMaxResults}.`);
    const all = (await seriesOf(ws, [...new Set(runIds)], key)).sort((a, b) => (a.runUuid < b.runUuid ? -1 : 1));
    const parts: string[] = [];
    let count = 0;
    for (const s of all) {
      if (count >= max) break;
      const points = await reader.page(s.series, max - count, undefined);
      count += points.length;
      if (points.length > 0) parts.push(pointsJson(key, points, s.runUuid).slice(1, -1));
    }
    return new RawJson(parts.length > 0 ? `{"metrics":[${parts.join(',')}]}` : '{}');
  }

  return { history, bulkInterval, bulk, reader };
}

export type MetricHistoryService = ReturnType<typeof createMetricHistoryService>;
