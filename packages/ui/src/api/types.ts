import type * as P from '@trove/protocol';

/**
 * The MLflow JSON shapes the UI reads (reference §3): @trove/protocol's entities as api/client.ts
 * decodes them (int64 fields are numbers), with only the fields the UI relies on required.
 */

/** A response shape as api/client.ts hands it on, parsed by JSON.parse: every int64 a number. */
export type Parsed<T> = P.Int64AsNumber<T>;

/** `T` of which the UI requires only the fields `K`; the others it reads when present. */
type Reading<T, K extends keyof T> = Pick<T, K> & Partial<Omit<T, K>>;

export type { Dataset, DatasetInput, KeyValue, LifecycleStage, RunStatus } from '@trove/protocol';

export type Experiment = Reading<Parsed<P.Experiment>, 'experiment_id' | 'name'>;

export type RunInfo = Reading<Parsed<P.RunInfo>, 'run_id' | 'experiment_id' | 'status'>;

/** `value` is a number, or one of MLflow's strings for non-finite doubles ("NaN", "Infinity"), read as any string. */
export type Metric = Reading<Omit<Parsed<P.Metric>, 'value'>, 'key' | 'timestamp'> & { value: number | string };

export type Run = Omit<Parsed<P.Run>, 'info' | 'data'> & {
  info: RunInfo;
  data: { metrics?: Metric[]; params?: P.KeyValue[]; tags?: P.KeyValue[] };
};

export type FileInfo = Parsed<P.FileInfo>;

export type LoggedModel = Parsed<P.LoggedModel>;

export type ModelVersion = Reading<Parsed<P.ModelVersion>, 'name' | 'version'>;

export type RegisteredModel = Reading<Omit<Parsed<P.RegisteredModel>, 'latest_versions'>, 'name'> & {
  latest_versions?: ModelVersion[];
};

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}
