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
export { type ArtifactBody, artifactUrl } from './artifacts.ts';
export { type BatchChunk, chunkBatch } from './batch-limits.ts';
export { ExperimentsClient } from './experiments-client.ts';
export { flattenNested, paramString } from './flatten.ts';
export {
  type Auth,
  HttpClient,
  type HttpClientOptions,
  optionsFromEnv,
  type Query,
  type SendOptions,
} from './http-client.ts';
export { collect, type Page, paginate } from './pages.ts';
export type { HttpErrorDetails } from './response-error.ts';
export { backoffDelay, DEFAULT_RETRY, RETRYABLE_STATUSES, type RetryOptions } from './retry.ts';
export { type LogEntry, RunLogger, type RunLoggerOptions } from './run-logger.ts';
export { getOrCreateExperiment, type StartRunOptions, startRun } from './start-run.ts';
export { TrackingClient } from './tracking-client.ts';
export type * from './types.ts';
