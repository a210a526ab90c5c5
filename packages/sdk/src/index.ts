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
export { type ArtifactBody, artifactUrl } from './artifacts.ts';
export { type BatchChunk, chunkBatch } from './batch-limits.ts';
export { flattenNested, paramString } from './flatten.ts';
export { type Auth, HttpClient, type HttpClientOptions, type Query, type SendOptions, optionsFromEnv } from './http-client.ts';
export { type Page, collect, paginate } from './pages.ts';
export type { HttpErrorDetails } from './response-error.ts';
export { DEFAULT_RETRY, RETRYABLE_STATUSES, type RetryOptions, backoffDelay } from './retry.ts';
export { type LogEntry, RunLogger, type RunLoggerOptions } from './run-logger.ts';
export { type StartRunOptions, getOrCreateExperiment, startRun } from './start-run.ts';
export { TrackingClient } from './tracking-client.ts';
export type * from './types.ts';
export { TroveError, type ErrorCode } from '@trove/protocol';
