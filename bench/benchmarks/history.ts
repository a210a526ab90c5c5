import { createSqliteMetricReader } from '@trove/store';
import BetterSqlite3 from 'better-sqlite3';
import { decodeChunk } from '../../packages/store/src/metrics/point-chunk.ts';
import { API, expectOk, type HttpClient } from '../lib/client.ts';
import { log } from '../lib/report.ts';
import type { Memory } from '../lib/server.ts';
import { fmtMs, fmtRate, measureLatency, nowMs, type Summary, summarize } from '../lib/stats.ts';

export interface ScanLimit {
  points: number;
  /** SQLite alone: sum(value) over the series in history order (B-tree walk, no rows leave SQLite). */
  engineMs: number;
  /** The same SELECT the reader runs, rows handed to JS as arrays in one pass (better-sqlite3 floor). */
  rowsMs: number;
  rowsPerSecond: number;
  /** The server's own reader (keyset pages of 25000, row objects), in-process: no HTTP, no JSON. */
  readerMs: number;
}

/**
 * The read limits for a full history, measured in the bench process on the seeded file with the
 * server stopped (page cache warm from seeding, as the server's would be).
 */
export function historyScanLimit(dbPath: string, seriesId: number, points: number): ScanLimit {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  db.pragma('cache_size = -65536');
  // The series is stored as chunks (seedSeries): SQLite's floor is reading the blobs in order,
  // JS's floor is decoding every point of them.
  const engine = db.prepare(
    'SELECT sum(point_count) AS n, sum(length(data)) AS s FROM (SELECT point_count, data FROM metric_chunks WHERE series_id = ? ORDER BY seq)',
  );
  engine.get(seriesId);
  let t0 = nowMs();
  const counted = (engine.get(seriesId) as { n: number }).n;
  const engineMs = nowMs() - t0;
  if (counted !== points) throw new Error(`engine scan counted ${counted} points, expected ${points}`);
  const scan = db
    .prepare<[number], [number, Buffer]>('SELECT point_count, data FROM metric_chunks WHERE series_id = ? ORDER BY seq')
    .raw(true);
  const decodeAll = () => {
    let n = 0;
    let sum = 0;
    for (const [count, data] of scan.iterate(seriesId)) {
      const c = decodeChunk(data, count);
      for (let i = 0; i < count; i++) sum += c.value(i) + Number(c.step(i)) + Number(c.timestamp(i));
      n += count;
    }
    return sum > 0 ? n : -1;
  };
  decodeAll();
  t0 = nowMs();
  const n = decodeAll();
  const rowsMs = nowMs() - t0;
  if (n !== points) throw new Error(`scan read ${n} points, expected ${points}`);
  const reader = createSqliteMetricReader(db);
  t0 = nowMs();
  let read = 0;
  let after: { timestamp: number | bigint; step: number | bigint; isNan: number; value: number } | undefined;
  for (;;) {
    const rows = reader.page(seriesId, 25_000, after);
    read += rows.length;
    if (rows.length < 25_000) break;
    const last = rows[rows.length - 1];
    after = { timestamp: last.timestamp, step: last.step, isNan: last.is_nan, value: last.value };
  }
  const readerMs = nowMs() - t0;
  db.close();
  if (read !== points) throw new Error(`reader read ${read} points, expected ${points}`);
  const limit = { points, engineMs, rowsMs, rowsPerSecond: (points / rowsMs) * 1000, readerMs };
  log(
    `raw-sqlite-scan of ${points} points: SQLite reading the chunks ${fmtMs(engineMs)}; chunks decoded in JS ${fmtMs(rowsMs)} (${fmtRate(limit.rowsPerSecond, 'rows/s')}); store reader in-process, 25k pages: ${fmtMs(readerMs)}`,
  );
  return limit;
}

export interface FullHistory {
  ms: number;
  points: number;
  pages: number;
  /** Client time spent in JSON.parse (part of `ms`). */
  parseMs: number;
  bytes: number;
}

/** What MLflow's client does for `get_metric_history`: pages of 25000, following next_page_token. */
export async function fetchFullHistory(client: HttpClient, runId: string, key: string): Promise<FullHistory> {
  let token: string | undefined;
  let points = 0;
  let pages = 0;
  let parseMs = 0;
  let bytes = 0;
  const t0 = nowMs();
  do {
    let path = `${API}/metrics/get-history?run_id=${runId}&run_uuid=${runId}&metric_key=${encodeURIComponent(key)}&max_results=25000`;
    if (token) path += `&page_token=${encodeURIComponent(token)}`;
    const res = expectOk(await client.request('GET', path), 'get-history');
    bytes += res.body.length;
    const tp = nowMs();
    const body = JSON.parse(res.body) as { metrics?: unknown[]; next_page_token?: string };
    parseMs += nowMs() - tp;
    points += body.metrics?.length ?? 0;
    token = body.next_page_token;
    pages++;
  } while (token);
  return { ms: nowMs() - t0, points, pages, parseMs, bytes };
}

export interface HistoryResult {
  points: number;
  full: { runs: FullHistory[]; p50Ms: number; serverMemoryAfter?: Memory };
  sampled: { series: number; latency: Summary; returned: number; window: 'fixed' | 'moving' }[];
}

/**
 * history-1M: the full history of a `points`-point series, 3 times (p50 of the 3);
 * sampled-320: get-history-bulk-interval with max_results=320 on each given series, 30 timed.
 */
export async function historyBench(
  client: HttpClient,
  big: { runId: string; points: number },
  sampledRuns: { runId: string; points: number }[],
  serverMemory?: () => Memory,
): Promise<HistoryResult> {
  const runs: FullHistory[] = [];
  const deadline = nowMs() + 60_000;
  for (let i = 0; i < 3 && nowMs() < deadline; i++) {
    const r = await fetchFullHistory(client, big.runId, 'loss');
    if (r.points !== big.points) throw new Error(`get-history returned ${r.points} points, expected ${big.points}`);
    runs.push(r);
    log(
      `history-${big.points}: ${r.points} points in ${r.pages} pages, ${fmtMs(r.ms)} end to end (client JSON.parse ${fmtMs(r.parseMs)}, ${(r.bytes / 1024 / 1024).toFixed(1)} MiB)`,
    );
  }
  const p50Ms = summarize(runs.map((r) => r.ms)).p50;
  const serverMemoryAfter = serverMemory?.();
  if (serverMemoryAfter)
    log(
      `  server after the full-history fetches: VmRSS ${serverMemoryAfter.rssMb.toFixed(0)} MiB, VmHWM ${serverMemoryAfter.hwmMb.toFixed(0)} MiB`,
    );
  const sampled: HistoryResult['sampled'] = [];
  // 'fixed' repeats one request (what a chart refresh does; the server's decoded-chunk cache is
  // warm after the first); 'moving' starts each request's step range 997 steps later (wrapping
  // within the first half of the series), so the
  // sampled steps fall in other chunks every time (a cold cache, as when zooming or panning).
  for (const s of sampledRuns) {
    for (const window of ['fixed', 'moving'] as const) {
      let returned = 0;
      const base = `${API}/metrics/get-history-bulk-interval?run_ids=${s.runId}&metric_key=loss&max_results=320`;
      const { samples } = await measureLatency(
        async (i) => {
          const path =
            window === 'fixed'
              ? base
              : `${base}&start_step=${((i + 10) * 997) % Math.floor(s.points / 2)}&end_step=${s.points - 1}`;
          const res = expectOk(await client.request('GET', path), 'get-history-bulk-interval');
          returned = (JSON.parse(res.body).metrics ?? []).length;
        },
        { warmup: 3, n: 30, budgetMs: 30_000 },
      );
      const latency = summarize(samples);
      sampled.push({ series: s.points, latency, returned, window });
      log(
        `sampled-320 (${window} window) on a ${s.points}-point series: p50 ${fmtMs(latency.p50)}, p95 ${fmtMs(latency.p95)} (${returned} points returned)`,
      );
    }
  }
  return { points: big.points, full: { runs, p50Ms, serverMemoryAfter }, sampled };
}
