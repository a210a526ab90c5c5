import { userInfo } from 'node:os';
import { TroveError } from '@trove/protocol';
import { RunLogger, type RunLoggerOptions } from './run-logger.ts';
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
 * Adds the `mlflow.user` and `mlflow.source.*` tags the MLflow client sets, unless given.
 *
 * @example
 * const run = await startRun(client, { experimentName: 'demo', runName: 'baseline', tags: { team: 'vision' } });
 * run.log({ metrics: { loss: 0.3 }, step: 1 });
 * await run.end();
 */
export async function startRun(client: TrackingClient, options: StartRunOptions = {}): Promise<RunLogger> {
  const experimentId =
    options.experimentName !== undefined
      ? await getOrCreateExperiment(client, options.experimentName)
      : options.experimentId;
  const userId = options.userId ?? osUser();
  const defaults: Record<string, string> = {
    'mlflow.user': userId,
    'mlflow.source.type': 'LOCAL',
    'mlflow.source.name': process.argv[1] ?? 'node',
  };
  const given = toKeyValues(options.tags);
  const tags = [
    ...Object.entries(defaults)
      .filter(([key]) => !given.some((t) => t.key === key))
      .map(([key, value]) => ({ key, value })),
    ...given,
  ];
  const run = await client.createRun({ experimentId, runName: options.runName, userId, tags });
  return new RunLogger(client, run.info.run_id, options);
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
