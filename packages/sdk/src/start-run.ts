import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { type KeyValue, TroveError } from '@trove/protocol';
import { gitSourceTags } from './git-source.ts';
import { isUnreachable } from './offline/delivery.ts';
import { defaultOfflineDir, OfflineLog } from './offline/offline-log.ts';
import { OFFLINE_RUN_PREFIX } from './offline/records.ts';
import { RunLogger, type RunLoggerOptions } from './run-logger.ts';
import {
  type SystemMetricsOptions,
  SystemMetricsSampler,
  systemMetricsOptionsFromEnv,
} from './system-metrics/sampler.ts';
import type { TrackingClient } from './tracking-client.ts';
import type { KeyValues } from './types.ts';
import { toKeyValues } from './wire.ts';

export interface StartRunOptions extends RunLoggerOptions {
  /** Experiment to log to, created if missing (like `mlflow.set_experiment`). */
  experimentName?: string;
  /** Experiment id to log to; ignored when `experimentName` is given. Default: the workspace's Default experiment. */
  experimentId?: string;
  runName?: string;
  tags?: KeyValues;
  /** Default: the OS user name, as the MLflow client sends it. */
  userId?: string;
  /**
   * Sample CPU, memory, disk, network and NVIDIA GPUs into `system/…` metrics until the run ends
   * (MLflow's `log_system_metrics`). Default: on when `MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING=true`;
   * sampling settings also from `MLFLOW_SYSTEM_METRICS_*`, which options given here override.
   */
  systemMetrics?: boolean | SystemMetricsOptions;
  /** Where the git tags are read: the entry point's folder by default (`process.argv[1]`), else the working directory. */
  sourceDir?: string;
}

/**
 * The id of the experiment called `name`, creating it when it does not exist: what
 * `mlflow.set_experiment` does. A concurrent creator winning the race (RESOURCE_ALREADY_EXISTS)
 * is tolerated by reading the name again; a deleted experiment is refused, as MLflow does.
 *
 * @example
 * const experimentId = await getOrCreateExperiment(client, 'demo');
 */
export async function getOrCreateExperiment(client: TrackingClient, name: string): Promise<string> {
  try {
    const exp = await client.getExperimentByName(name);
    if (exp.lifecycle_stage === 'deleted') {
      throw new TroveError(
        'INVALID_PARAMETER_VALUE',
        `Cannot set a deleted experiment '${name}' as the active experiment. Restore the experiment, or permanently delete it to create a new one.`,
      );
    }
    return exp.experiment_id;
  } catch (e) {
    if (!(e instanceof TroveError) || e.code !== 'RESOURCE_DOES_NOT_EXIST') throw e;
  }
  try {
    return await client.createExperiment(name);
  } catch (e) {
    if (!(e instanceof TroveError) || e.code !== 'RESOURCE_ALREADY_EXISTS') throw e;
    return (await client.getExperimentByName(name)).experiment_id;
  }
}

/**
 * Starts a run and returns a {@link RunLogger} for it: `mlflow.set_experiment` + `mlflow.start_run`.
 * Adds the `mlflow.user` and `mlflow.source.*` tags the MLflow client sets, unless given: the
 * entry point (`mlflow.source.name`, type LOCAL) and, inside a git work tree, its commit, branch
 * and origin URL. With `offlineDir` (or `offline: true`) a server that cannot be reached does not
 * fail the start: the run is made in the offline log (id `offline-…`) for `trove sync`.
 *
 * @example
 * const run = await startRun(client, { experimentName: 'demo', runName: 'baseline', tags: { team: 'vision' } });
 * run.log({ metrics: { loss: 0.3 }, step: 1 });
 * await run.end();
 */
export async function startRun(client: TrackingClient, options: StartRunOptions = {}): Promise<RunLogger> {
  const userId = options.userId ?? osUser();
  const entryPoint = process.argv[1];
  const defaults: Record<string, string> = {
    'mlflow.user': userId,
    'mlflow.source.type': 'LOCAL',
    'mlflow.source.name': entryPoint ?? 'node',
    ...(await gitSourceTags(options.sourceDir ?? (entryPoint ? dirname(resolve(entryPoint)) : process.cwd()))),
  };
  const given = toKeyValues(options.tags);
  const tags = [
    ...Object.entries(defaults)
      .filter(([key]) => !given.some((t) => t.key === key))
      .map(([key, value]) => ({ key, value })),
    ...given,
  ];
  const runId = await createRunOrOffline(client, options, userId, tags);
  const logger = new RunLogger(client, runId, options);
  const sampling = samplerOptions(options.systemMetrics);
  if (sampling) {
    const sampler = new SystemMetricsSampler((metrics, step) => logger.log({ metrics, step }), sampling);
    await sampler.start();
    logger.attach(sampler);
  }
  return logger;
}

async function createRunOrOffline(
  client: TrackingClient,
  options: StartRunOptions,
  userId: string,
  tags: KeyValue[],
): Promise<string> {
  const startTime = Date.now();
  if (options.offline !== true) {
    try {
      const experimentId =
        options.experimentName !== undefined
          ? await getOrCreateExperiment(client, options.experimentName)
          : options.experimentId;
      const run = await client.createRun({ experimentId, runName: options.runName, userId, tags, startTime });
      return run.info.run_id;
    } catch (e) {
      if (options.offlineDir === undefined || !isUnreachable(e)) throw e;
    }
  }
  const localId = OFFLINE_RUN_PREFIX + randomUUID().replaceAll('-', '');
  await new OfflineLog(options.offlineDir ?? defaultOfflineDir()).append(localId, [
    {
      op: 'create_run',
      local_id: localId,
      experiment_id: options.experimentName === undefined ? options.experimentId : undefined,
      experiment_name: options.experimentName,
      run_name: options.runName,
      user_id: userId,
      start_time: startTime,
      tags,
    },
  ]);
  return localId;
}

function samplerOptions(option: StartRunOptions['systemMetrics']): SystemMetricsOptions | undefined {
  const enabled = option ?? process.env.MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING?.toLowerCase() === 'true';
  if (enabled === false) return undefined;
  return { ...systemMetricsOptionsFromEnv(), ...(typeof enabled === 'object' ? enabled : {}) };
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
