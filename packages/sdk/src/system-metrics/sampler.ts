import { type CollectorOptions, SystemCollectors } from './collectors.ts';
import { aggregateSamples, type Readings } from './readings.ts';

/** How the system-metrics sampler runs; MLflow's defaults (10 s, 1 sample per logged step). */
export interface SystemMetricsOptions {
  /** Time between samples in ms. Default 10 000 (MLflow's `sampling_interval` of 10 s). */
  samplingIntervalMs?: number;
  /** Samples averaged into each logged step. Default 1. */
  samplesBeforeLogging?: number;
  /** Logs under `system/<nodeId>/…`, to tell the machines of a multi-node run apart. */
  nodeId?: string;
  /** A path on the volume whose disk use is logged. Default: the working directory. */
  diskPath?: string;
  /** The nvidia-smi binary. Default `nvidia-smi` on PATH; GPUs are left out when it is missing. */
  nvidiaSmi?: string;
}

/** Receives one logged step: metric names with the `system/` prefix, and the step (0, 1, 2, …). */
export type SystemMetricsSink = (metrics: Record<string, number>, step: number) => void | Promise<void>;

/**
 * Samples CPU, memory, disk, network and NVIDIA GPUs every `samplingIntervalMs` and hands every
 * `samplesBeforeLogging` samples, aggregated, to the sink under MLflow's `system/` names
 * (`system/cpu_utilization_percentage`, `system/gpu_0_utilization_percentage`, …). Steps count
 * from 0. The timer does not keep the process alive; `stop()` waits for a sample in progress.
 *
 * @example
 * const sampler = new SystemMetricsSampler((metrics, step) => run.log({ metrics, step }), { samplingIntervalMs: 1000 });
 * await sampler.start();
 * // … train …
 * await sampler.stop();
 */
export class SystemMetricsSampler {
  private readonly intervalMs: number;
  private readonly perStep: number;
  private readonly prefix: string;
  private readonly collectorOptions: CollectorOptions;
  private collectors: SystemCollectors | undefined;
  private samples: Readings[] = [];
  private step = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private tick: Promise<void> | undefined;
  private stopped = false;
  /** The last failure of a sample or of the sink (the sampler keeps going). */
  lastError: unknown;

  constructor(
    private readonly sink: SystemMetricsSink,
    options: SystemMetricsOptions = {},
  ) {
    this.intervalMs = Math.max(1, options.samplingIntervalMs ?? 10_000);
    this.perStep = Math.max(1, Math.floor(options.samplesBeforeLogging ?? 1));
    this.prefix = `system/${options.nodeId ? `${options.nodeId}/` : ''}`;
    this.collectorOptions = {
      diskPath: options.diskPath ?? process.cwd(),
      nvidiaSmi: options.nvidiaSmi ?? 'nvidia-smi',
    };
  }

  /** Takes the baseline (CPU times, network counters) and schedules the first sample. */
  async start(): Promise<void> {
    if (this.collectors || this.stopped) return;
    this.collectors = await SystemCollectors.start(this.collectorOptions);
    this.schedule();
  }

  /** Stops sampling; samples not yet making up a step are discarded, as MLflow's monitor does. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tick;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick = this.sampleOnce().finally(() => {
        this.tick = undefined;
        this.schedule();
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  private async sampleOnce(): Promise<void> {
    try {
      this.samples.push(await this.collectors!.sample());
      if (this.samples.length < this.perStep || this.stopped) return;
      const aggregated = aggregateSamples(this.samples);
      this.samples = [];
      const metrics: Record<string, number> = {};
      for (const [key, value] of Object.entries(aggregated)) metrics[this.prefix + key] = value;
      await this.sink(metrics, this.step++);
    } catch (e) {
      this.lastError = e;
    }
  }
}

/** Sampler options from MLflow's environment variables (`MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL` in seconds, `…_SAMPLES_BEFORE_LOGGING`, `…_NODE_ID`). */
export function systemMetricsOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): SystemMetricsOptions {
  const out: SystemMetricsOptions = {};
  const interval = Number(env.MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL);
  if (env.MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL && interval > 0) out.samplingIntervalMs = interval * 1000;
  const samples = Number(env.MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING);
  if (env.MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING && samples >= 1) out.samplesBeforeLogging = samples;
  if (env.MLFLOW_SYSTEM_METRICS_NODE_ID) out.nodeId = env.MLFLOW_SYSTEM_METRICS_NODE_ID;
  return out;
}
