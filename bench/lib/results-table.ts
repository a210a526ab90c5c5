/**
 * What `npm run bench` (bench/run.ts) records — the results JSON — and the table it prints from
 * it: each result beside the limit measured in the same run, and whether it meets its target.
 */
import type { HistoryResult, ScanLimit } from '../benchmarks/history.ts';
import type { EchoResult } from '../benchmarks/http-echo.ts';
import type { IngestResult } from '../benchmarks/ingest.ts';
import type { PostgresFloor } from '../benchmarks/postgres-floor.ts';
import type { RawInsertResult } from '../benchmarks/raw-sqlite-insert.ts';
import type { SearchResult } from '../benchmarks/search.ts';
import type { SmallBatchResult } from '../benchmarks/small-log-batch.ts';
import type { ClientKind } from './client.ts';
import type { LoadReport } from './load.ts';
import type { ProfileSummary } from './profile.ts';
import type { Row } from './report.ts';
import type { SeededRuns } from './seed.ts';
import type { Memory } from './server.ts';
import { fmtMs, fmtRate } from './stats.ts';

export interface Results {
  machine: Record<string, unknown>;
  backend?: string;
  command: string;
  options: Record<string, unknown>;
  startedAt: string;
  finishedAt?: string;
  client?: { kind: ClientKind; trials?: EchoResult[] };
  /** One row per INSERT, then 50 rows per INSERT (as the server's writer batches). */
  rawSqliteInsert?: RawInsertResult[];
  /** PostgreSQL's own round trip, commit, COPY and unnest-insert limits (with --backend postgres). */
  postgresFloor?: PostgresFloor;
  httpEcho?: EchoResult;
  ingest?: IngestResult;
  smallLogBatch?: SmallBatchResult;
  seeding?: { searchRuns?: SeededRuns; seriesMs?: Record<string, number> };
  search?: SearchResult;
  historyScanLimit?: ScanLimit;
  history?: HistoryResult;
  rss?: { idle: Memory; after: Memory };
  serverCpuProfile?: ProfileSummary;
  load?: LoadReport;
  /** Machine load during each benchmark (others = CPU used by processes other than bench and server). */
  phaseLoad: Record<string, LoadReport>;
  /** Server memory right after each benchmark (VmHWM shows which one set the peak). */
  phaseMemory: Record<string, Memory>;
  table: Row[];
}

const TARGETS = {
  ingestPointsPerSecond: 300_000,
  smallBatchP50Ms: 1,
  /** PostgreSQL (issue 16): ingest as a share of the COPY floor, small log-batch p50 over the commit floor. */
  ingestOfCopy: 0.8,
  smallBatchOfCommit: 1.5,
  searchP50Ms: 50,
  firstPageP50Ms: 100,
  fullHistoryMs: 3000,
  sampledP50Ms: 20,
  rssMb: 300,
};

export const mib = (m: number) => `${m.toFixed(0)} MiB`;
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/** The printed table of a run's results. */
export function table(r: Results, runs: number, points: number, backend: 'sqlite' | 'postgres' = 'sqlite'): Row[] {
  const raw = backend === 'postgres' ? 'raw-postgres-insert' : 'raw-sqlite-insert';
  const engine = backend === 'postgres' ? 'PostgreSQL' : 'SQLite';
  const rows: Row[] = [];
  const none = '—';
  const echoP50 = r.httpEcho ? `http-echo p50 ${fmtMs(r.httpEcho.sequential.p50)}` : none;
  const size = (n: number) =>
    n >= 1_000_000 && n % 1_000_000 === 0
      ? `${n / 1_000_000}M`
      : n >= 1000 && n % 1000 === 0
        ? `${n / 1000}k`
        : String(n);
  const rawBest = r.rawSqliteInsert?.reduce((a, b) => (b.rowsPerSecond > a.rowsPerSecond ? b : a));
  for (const x of r.rawSqliteInsert ?? []) {
    rows.push({
      benchmark: `${raw}, ${x.rowsPerStatement} row${x.rowsPerStatement > 1 ? 's' : ''}/INSERT${x.rows !== 1_000_000 ? ` (${size(x.rows)} rows)` : ''} (limit)`,
      result: fmtRate(x.rowsPerSecond, 'rows/s'),
      limit: none,
      target: none,
    });
  }
  const floor = r.postgresFloor;
  if (floor) {
    rows.push({
      benchmark: 'postgres round trip, SELECT 1 p50 (limit)',
      result: fmtMs(floor.roundTrip.p50),
      limit: none,
      target: none,
    });
    rows.push({
      benchmark: 'postgres one-row INSERT + commit p50 (limit)',
      result: fmtMs(floor.commit.p50),
      limit: none,
      target: none,
    });
    rows.push({
      benchmark: `postgres COPY, ${floor.copy.rowsPerCommit} rows/commit (limit)`,
      result: fmtRate(floor.copy.rowsPerSecond, 'rows/s'),
      limit: none,
      target: none,
    });
    rows.push({
      benchmark: `postgres unnest INSERT, ${floor.unnestInsert.rowsPerCommit} rows/commit (limit)`,
      result: fmtRate(floor.unnestInsert.rowsPerSecond, 'rows/s'),
      limit: none,
      target: none,
    });
  }
  if (r.httpEcho) {
    rows.push({
      benchmark: `http-echo p50 (limit, ${r.httpEcho.client})`,
      result: fmtMs(r.httpEcho.sequential.p50),
      limit: none,
      target: none,
    });
    rows.push({
      benchmark: 'http-echo, 4 clients (limit)',
      result: fmtRate(r.httpEcho.requestsPerSecond, 'req/s'),
      limit: none,
      target: none,
    });
  }
  if (r.ingest) {
    const ofCopy = floor ? r.ingest.pointsPerSecond / floor.copy.rowsPerSecond : undefined;
    rows.push({
      benchmark: 'ingest (4 clients, 1000-point log-batch)',
      result: `${fmtRate(r.ingest.pointsPerSecond, 'points/s')}${ofCopy !== undefined ? ` (${pct(ofCopy)} of COPY)` : ''}`,
      limit: floor
        ? `COPY ${fmtRate(floor.copy.rowsPerSecond, 'rows/s')}`
        : rawBest
          ? `${raw} ${fmtRate(rawBest.rowsPerSecond, 'rows/s')}`
          : none,
      target: floor ? '≥ 300k points/s or ≥ 80% of COPY' : '≥ 300k points/s',
      met:
        (r.ingest.pointsPerSecond >= TARGETS.ingestPointsPerSecond ||
          (ofCopy !== undefined && ofCopy >= TARGETS.ingestOfCopy)) &&
        r.ingest.errors === 0,
    });
  }
  if (r.smallLogBatch) {
    const l = r.smallLogBatch.latency;
    const ofCommit = floor ? l.p50 / floor.commit.p50 : undefined;
    // An HTTP request that commits can be no faster than an HTTP echo plus a commit: shown beside the issue's target.
    const bothFloors = floor && r.httpEcho ? floor.commit.p50 + r.httpEcho.sequential.p50 : undefined;
    rows.push({
      benchmark: 'small log-batch (10 metrics + 2 params)',
      result: `p50 ${fmtMs(l.p50)} (p95 ${fmtMs(l.p95)})${ofCommit !== undefined ? `, ${ofCommit.toFixed(2)}× commit` : ''}${bothFloors !== undefined ? `, ${(l.p50 / bothFloors).toFixed(2)}× echo + commit` : ''}`,
      limit: floor
        ? `INSERT + commit p50 ${fmtMs(floor.commit.p50)}${bothFloors !== undefined ? `; + http-echo = ${fmtMs(bothFloors)}` : ''}`
        : echoP50,
      target: floor ? 'p50 ≤ 1.5× commit' : 'p50 ≤ 1 ms',
      met: ofCommit !== undefined ? ofCommit <= TARGETS.smallBatchOfCommit : l.p50 <= TARGETS.smallBatchP50Ms,
    });
  }
  if (r.search) {
    const s = r.search;
    rows.push({
      benchmark: `search-${size(runs)} (filter + order, 100 results)`,
      result: `p50 ${fmtMs(s.filtered.p50)} (p95 ${fmtMs(s.filtered.p95)})`,
      limit: echoP50,
      target: '≤ 50 ms',
      met: s.filtered.p50 <= TARGETS.searchP50Ms,
    });
    rows.push({
      benchmark: `first-page-1000 (of ${size(runs)} runs)`,
      result: `p50 ${fmtMs(s.firstPage1000.p50)}`,
      limit: echoP50,
      target: '≤ 100 ms',
      met: s.firstPage1000.p50 <= TARGETS.firstPageP50Ms,
    });
    rows.push({
      benchmark: `page ${s.deepPage.page} of 1000 via tokens`,
      result: `p50 ${fmtMs(s.deepPage.latency.p50)} (walk 1..${s.deepPage.page}: ${fmtMs(s.deepPage.walkMs)})`,
      limit: `page 1 p50 ${fmtMs(s.firstPage1000.p50)}`,
      target: none,
    });
  }
  if (r.history) {
    const h = r.history;
    const lim = r.historyScanLimit;
    rows.push({
      benchmark: `history-${size(points)} (get-history, 25k pages)`,
      result: `${fmtMs(h.full.p50Ms)} (p50 of ${h.full.runs.length})`,
      limit: lim
        ? `${engine} scan ${fmtMs(lim.engineMs)}; decode in JS ${fmtMs(lim.rowsMs)}; store reader ${fmtMs(lim.readerMs)}`
        : none,
      target: '≤ 3 s',
      met: h.full.p50Ms <= TARGETS.fullHistoryMs,
    });
    for (const s of h.sampled) {
      rows.push({
        benchmark: `sampled-320 (${size(s.series)}-point series, ${s.window ?? 'fixed'} window)`,
        result: `p50 ${fmtMs(s.latency.p50)} (p95 ${fmtMs(s.latency.p95)})`,
        limit: echoP50,
        target: '≤ 20 ms',
        met: s.latency.p50 <= TARGETS.sampledP50Ms,
      });
    }
  }
  if (r.rss) {
    rows.push({
      benchmark: 'server memory after all of the above',
      result: `VmRSS ${mib(r.rss.after.rssMb)}, peak VmHWM ${mib(r.rss.after.hwmMb)}`,
      limit: `idle server VmRSS ${mib(r.rss.idle.rssMb)}`,
      target: 'peak ≤ 300 MB',
      met: r.rss.after.hwmMb * 1.048576 <= TARGETS.rssMb,
    });
  }
  return rows;
}
