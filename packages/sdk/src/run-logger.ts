import { type Int64, LIMITS, type RunStatus, TroveError, validateKey } from '@trove/protocol';
import { type FileSeriesKind, type StepFileOptions, stepFilePath, type TableData, tableJson } from './file-series.ts';
import { flattenNested, paramString } from './flatten.ts';
import { RunDelivery } from './offline/delivery.ts';
import { defaultOfflineDir, OfflineLog } from './offline/offline-log.ts';
import { OFFLINE_RUN_PREFIX } from './offline/records.ts';
import type { TrackingClient } from './tracking-client.ts';
import type { MetricInput } from './types.ts';

export interface RunLoggerOptions {
  /** Start a flush once this many points are queued (1..1000, MLflow's per-request limit). Default 1000. */
  maxBatchPoints?: number;
  /** Flush queued points at most this long after they were logged, in ms; 0 turns the timer off. Default 2000. */
  flushIntervalMs?: number;
  /** Send params through Trove's native endpoint, which keeps their types. Default false: `log-batch` (any MLflow server). */
  typedParams?: boolean;
  /** Most points held in memory: `await run.log(…)` waits while more are queued (back-pressure; nothing is dropped). Default 100 000. */
  maxQueuedPoints?: number;
  /**
   * Folder of the offline log (`trove sync` replays it). Given, a run whose server cannot be
   * reached (no answer, or 502/503/504, after the retries) writes everything from then on there
   * instead of failing. Default: none (failures throw), or `TROVE_OFFLINE_DIR`/`./trove-offline` with `offline`.
   */
  offlineDir?: string;
  /** Log to the offline log only, without contacting the server. Default false. */
  offline?: boolean;
}

/** Something that runs alongside a run and stops with it (the system-metrics sampler). */
export interface RunCompanion {
  stop(): Promise<void>;
}

/** Metrics to log at one step: a flat or nested object of numbers (`{ train: { loss: 0.3 } }` → `train/loss`). */
export interface LogEntry {
  metrics: Record<string, unknown>;
  step?: Int64;
  /** Milliseconds since the epoch; default now. */
  timestamp?: Int64;
}

/**
 * Logs to a live run with buffered, asynchronous batching: `log()` only queues points; they are
 * sent with `runs/log-batch` (≤ 1000 per request) when `maxBatchPoints` are queued, every
 * `flushIntervalMs`, and on `flush()`/`end()`. Points leave the queue only once the server
 * accepted them: a failed flush keeps them, the timer retries, and `flush()`/`end()` retry too and
 * throw if delivery still fails. Call `end()` (or `flush()`) before exiting: the timer does not
 * keep the process alive.
 *
 * @example
 * const run = await startRun(client, { experimentName: 'demo' });
 * await run.logParams({ optimizer: { name: 'adam', lr: 0.01 } });
 * for (let step = 0; step < 100; step++) run.log({ metrics: { loss: 1 / (step + 1) }, step });
 * await run.end();
 */
export class RunLogger {
  private readonly queue: MetricInput[] = [];
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly typedParams: boolean;
  private readonly maxQueued: number;
  private readonly delivery: RunDelivery;
  private readonly companions: RunCompanion[] = [];
  private roomWaiters: (() => void)[] = [];
  private inflight: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ended = false;
  /** The last failure of a flush, cleared by the next successful one. */
  lastError: unknown;

  constructor(
    readonly client: TrackingClient,
    readonly runId: string,
    options: RunLoggerOptions = {},
  ) {
    this.batchSize = Math.min(
      Math.max(1, Math.floor(options.maxBatchPoints ?? LIMITS.batchMetrics)),
      LIMITS.batchMetrics,
    );
    this.intervalMs = options.flushIntervalMs ?? 2000;
    this.typedParams = options.typedParams ?? false;
    this.maxQueued = Math.max(this.batchSize, options.maxQueuedPoints ?? 100_000);
    const offline = options.offline === true || runId.startsWith(OFFLINE_RUN_PREFIX);
    const dir = options.offlineDir ?? (offline ? defaultOfflineDir() : undefined);
    this.delivery = new RunDelivery(client, runId, dir === undefined ? undefined : new OfflineLog(dir), offline);
  }

  /** True once this run writes to the offline log instead of the server. */
  get offline(): boolean {
    return this.delivery.offline;
  }

  /** Stops `companion` when the run ends, before the last flush (the system-metrics sampler). */
  attach(companion: RunCompanion): void {
    this.companions.push(companion);
  }

  /** Points queued and not yet accepted by the server. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Queues metric points at once (never throws for network trouble; bad keys or values throw
   * INVALID_PARAMETER_VALUE). The promise resolves when the queue is under `maxQueuedPoints`:
   * await it to hold a fast producer back; the points are queued either way.
   */
  log(entry: LogEntry): Promise<void> {
    if (this.ended) throw new TroveError('INVALID_STATE', `Run ${this.runId} has ended; start a new one to log more.`);
    const timestamp = entry.timestamp ?? Date.now();
    const step = entry.step ?? 0;
    if (typeof step === 'number' && !Number.isSafeInteger(step))
      throw new TroveError('INVALID_PARAMETER_VALUE', `Step must be an integer, got ${step}.`);
    const points: MetricInput[] = [];
    for (const [key, value] of flattenNested(entry.metrics)) {
      validateKey(key, 'metric name');
      if (typeof value !== 'number')
        throw new TroveError(
          'INVALID_PARAMETER_VALUE',
          `Metric '${key}' must be a number, got ${JSON.stringify(value)}.`,
        );
      points.push({ key, value, step, timestamp });
    }
    for (const p of points) this.queue.push(p);
    if (this.queue.length >= this.batchSize && !this.inflight) this.flushInBackground();
    else this.arm();
    return this.queue.length < this.maxQueued
      ? Promise.resolve()
      : new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Logs params, flattening nested objects to `/` keys (`{ optimizer: { lr: 0.01 } }` → `optimizer/lr`). Params are immutable in MLflow. */
  async logParams(params: Record<string, unknown>): Promise<void> {
    if (this.typedParams) {
      await this.delivery.logNested({ params });
      return;
    }
    await this.delivery.logBatch(
      [],
      flattenNested(params).map(([key, v]) => ({ key, value: paramString(v) })),
    );
  }

  /** Sets tags, flattening nested objects to `/` keys; values are stringified. */
  async setTags(tags: Record<string, unknown>): Promise<void> {
    await this.delivery.logBatch(
      [],
      [],
      flattenNested(tags).map(([key, v]) => ({ key, value: paramString(v) })),
    );
  }

  /** Sends every queued point (waiting for a flush in progress); throws if the server could not take them, keeping them queued. */
  async flush(): Promise<void> {
    this.disarm();
    try {
      while (this.queue.length > 0 || this.inflight) await this.drain();
    } catch (e) {
      this.arm();
      throw e;
    }
  }

  /** Flushes, then marks the run finished (or `status`) with an end time. If the flush fails the run stays open and `end()` may be retried. */
  async end(status: RunStatus = 'FINISHED'): Promise<void> {
    if (this.ended) return;
    for (const c of this.companions.splice(0)) await c.stop();
    await this.flush();
    this.disarm();
    await this.delivery.updateRun(status, Date.now());
    this.ended = true;
  }

  // ── files per step (the run page's Media tab slides through them) ───────────────────────
  /** Logs an image at a step (PNG unless `ext` says otherwise) where MLflow's `log_image(key=, step=)` puts it; resolves to its artifact path. */
  logImage(key: string, step: number, data: Uint8Array, options?: StepFileOptions): Promise<string> {
    return this.logStepFile('image', key, step, data, options);
  }
  /** Logs an audio clip at a step under `audio/` (WAV unless `ext`). */
  logAudio(key: string, step: number, data: Uint8Array, options?: StepFileOptions): Promise<string> {
    return this.logStepFile('audio', key, step, data, options);
  }
  /** Logs a video at a step under `video/` (MP4 unless `ext`). */
  logVideo(key: string, step: number, data: Uint8Array, options?: StepFileOptions): Promise<string> {
    return this.logStepFile('video', key, step, data, options);
  }
  /** Logs a table at a step under `tables/` as MLflow's `{columns, data}` JSON. */
  logTable(key: string, step: number, table: TableData, options?: Omit<StepFileOptions, 'ext'>): Promise<string> {
    return this.logStepFile('table', key, step, new TextEncoder().encode(tableJson(table)), options);
  }
  /** Logs any file at a step under `files/` (`ext` names its type; default bin). */
  logFile(key: string, step: number, data: Uint8Array | string, options?: StepFileOptions): Promise<string> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    return this.logStepFile('file', key, step, bytes, options);
  }

  private async logStepFile(
    kind: FileSeriesKind,
    key: string,
    step: number,
    data: Uint8Array,
    options?: StepFileOptions,
  ): Promise<string> {
    if (this.ended) throw new TroveError('INVALID_STATE', `Run ${this.runId} has ended; start a new one to log more.`);
    const path = stepFilePath(kind, key, step, options);
    await this.delivery.uploadArtifact(path, data);
    return path;
  }

  /** One sender at a time: sends batches until the queue is empty; a point leaves the queue only after its batch succeeded. */
  private drain(): Promise<void> {
    if (this.inflight) return this.inflight;
    const sending = this.sendQueued().finally(() => {
      if (this.inflight === sending) this.inflight = undefined;
    });
    this.inflight = sending;
    return sending;
  }

  private async sendQueued(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, this.batchSize);
        await this.delivery.logBatch(batch);
        this.queue.splice(0, batch.length);
        if (this.queue.length < this.maxQueued) for (const wake of this.roomWaiters.splice(0)) wake();
      }
      this.lastError = undefined;
    } catch (e) {
      this.lastError = e;
      throw e;
    }
  }

  private flushInBackground(): void {
    this.disarm();
    // The failure is kept in lastError and the points stay queued; the timer tries again.
    this.drain().catch(() => this.arm());
  }

  private arm(): void {
    if (this.timer || this.intervalMs <= 0 || this.queue.length === 0 || this.ended) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.inflight) this.inflight.finally(() => this.arm()).catch(() => {});
      else this.flushInBackground();
    }, this.intervalMs);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
