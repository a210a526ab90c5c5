import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getOrCreateExperiment } from '../start-run.ts';
import type { TrackingClient } from '../tracking-client.ts';
import { OfflineLog } from './offline-log.ts';
import { fromOfflineMetric, OFFLINE_ID_TAG, type OfflineRecord } from './records.ts';

/** What one `syncOfflineLog` did. */
export interface SyncReport {
  /** Run files replayed. */
  runs: number;
  /** Runs created on the server by this sync (0 when every offline run already had its server run). */
  created: number;
  /** Records sent to the server. */
  records: number;
  /** Records an earlier sync to the same server already delivered, not sent again. */
  skipped: number;
  metricPoints: number;
  artifacts: number;
  /** Offline run id → the server's run id, also written to `<dir>/run-ids.json`. */
  runIds: Record<string, string>;
}

export interface SyncOptions {
  /** Send every record again, ignoring what earlier syncs to this server delivered (still idempotent). */
  full?: boolean;
}

/** Per server (base URL), per run file: how many of its records were delivered. */
type SyncState = Record<string, Record<string, number>>;

/**
 * Replays an offline log (see {@link OfflineLog}) against a server, idempotently: a run created
 * offline is created once, tagged `trove.offline_id`, and found by that tag on later syncs;
 * metric points are sent with their original step and timestamp, which the server keeps once
 * (an exact duplicate point is ignored); params, tags, run updates and artifacts rewrite the same
 * values. Syncing twice leaves the server's data as after the first sync. The log is kept; the
 * offline → server id map is written to `<dir>/run-ids.json`. What was delivered to which server
 * is kept in `<dir>/sync-state.json`, so a later sync sends only what was appended since (a server
 * recognising a resent batch as duplicates is far slower than not sending it); `full` ignores it.
 *
 * @example
 * const report = await syncOfflineLog(TrackingClient.fromEnv(), './trove-offline');
 * console.log(report.runIds);
 */
export async function syncOfflineLog(
  client: TrackingClient,
  dir: string,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const log = new OfflineLog(dir);
  const report: SyncReport = { runs: 0, created: 0, records: 0, skipped: 0, metricPoints: 0, artifacts: 0, runIds: {} };
  const statePath = join(dir, 'sync-state.json');
  const state = await readJson<SyncState>(statePath, {});
  state[client.http.baseUrl] ??= {};
  const delivered = state[client.http.baseUrl];
  for (const { runKey, records } of await log.read()) {
    report.runs += 1;
    const done = options.full ? 0 : (delivered[runKey] ?? 0);
    for (const [i, record] of records.entries()) {
      // A run's creation is resolved every time: later records need its server id.
      if (i < done && record.op !== 'create_run') {
        report.skipped += 1;
        continue;
      }
      await replay(client, log, record, report);
      if (i >= done) report.records += 1;
    }
    delivered[runKey] = records.length;
    await writeJson(statePath, state);
  }
  await writeJson(join(dir, 'run-ids.json'), report.runIds);
  return report;
}

async function readJson<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw e;
  }
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

async function replay(client: TrackingClient, log: OfflineLog, r: OfflineRecord, report: SyncReport): Promise<void> {
  if (r.op === 'create_run') {
    report.runIds[r.local_id] = await serverRunFor(client, r, report);
    return;
  }
  const runId = report.runIds[r.run_id] ?? r.run_id;
  switch (r.op) {
    case 'log_batch':
      await client.logBatch(runId, { metrics: r.metrics.map(fromOfflineMetric), params: r.params, tags: r.tags });
      report.metricPoints += r.metrics.length;
      return;
    case 'log_nested':
      await client.logNested(runId, r.body);
      return;
    case 'update_run':
      await client.updateRun(runId, { status: r.status, endTime: r.end_time });
      return;
    case 'artifact':
      await client.uploadArtifact(runId, r.path, await readFile(log.blobPath(r.blob)));
      report.artifacts += 1;
      return;
  }
}

/** The server run of an offline one: found by its `trove.offline_id` tag, else created with it. */
async function serverRunFor(
  client: TrackingClient,
  r: Extract<OfflineRecord, { op: 'create_run' }>,
  report: SyncReport,
): Promise<string> {
  const experimentId =
    r.experiment_name !== undefined ? await getOrCreateExperiment(client, r.experiment_name) : (r.experiment_id ?? '0');
  const found = await client.searchRuns({
    experimentIds: [experimentId],
    filter: `tags.\`${OFFLINE_ID_TAG}\` = '${r.local_id}'`,
    runViewType: 'ALL',
    maxResults: 1,
  });
  if (found.runs.length > 0) return found.runs[0].info.run_id;
  const run = await client.createRun({
    experimentId,
    runName: r.run_name,
    userId: r.user_id,
    startTime: r.start_time,
    tags: [...r.tags, { key: OFFLINE_ID_TAG, value: r.local_id }],
  });
  report.created += 1;
  return run.info.run_id;
}
