/**
 * `@trove/sdk`: typed TypeScript client of a Trove (MLflow-compatible) tracking server.
 *
 * @example
 * import { TrackingClient, startRun } from '@trove/sdk';
 * const client = new TrackingClient({ trackingUri: 'http://127.0.0.1:5000' });
 * const run = await startRun(client, { experimentName: 'demo' });
 * run.log({ metrics: { loss: 0.3 }, step: 1 });
 * await run.end();
 */

export { type ErrorCode, TroveError } from '@trove/protocol';
export { type ArtifactBody, artifactUrl, downloadArtifactToFile } from './artifacts.ts';
export { type BatchChunk, chunkBatch } from './batch-limits.ts';
export { ExperimentsClient } from './experiments-client.ts';
export {
  FILE_SERIES_FOLDERS,
  type FileSeriesKind,
  type StepFileOptions,
  stepFilePath,
  type TableData,
  tableJson,
} from './file-series.ts';
export { flattenNested, paramString } from './flatten.ts';
export { gitSourceTags } from './git-source.ts';
export {
  type Auth,
  HttpClient,
  type HttpClientOptions,
  optionsFromEnv,
  type Query,
  type SendOptions,
} from './http-client.ts';
export { isUnreachable } from './offline/delivery.ts';
export { defaultOfflineDir, OfflineLog } from './offline/offline-log.ts';
export { OFFLINE_ID_TAG, OFFLINE_RUN_PREFIX, type OfflineMetric, type OfflineRecord } from './offline/records.ts';
export { type SyncOptions, type SyncReport, syncOfflineLog } from './offline/sync.ts';
export { collect, type Page, paginate } from './pages.ts';
export { RegistryClient, type RegistrySearchOptions } from './registry-client.ts';
export type { HttpErrorDetails } from './response-error.ts';
export { backoffDelay, DEFAULT_RETRY, RETRYABLE_STATUSES, type RetryOptions } from './retry.ts';
export { policyProtects, ReviewClient, type ReviewTarget } from './review-client.ts';
export { type LogEntry, type RunCompanion, RunLogger, type RunLoggerOptions } from './run-logger.ts';
export { getOrCreateExperiment, type StartRunOptions, startRun } from './start-run.ts';
export * as systemReadings from './system-metrics/readings.ts';
export {
  type SystemMetricsOptions,
  SystemMetricsSampler,
  type SystemMetricsSink,
  systemMetricsOptionsFromEnv,
} from './system-metrics/sampler.ts';
export { TrackingClient } from './tracking-client.ts';
export type * from './types.ts';
