import type { DatasetInput, Experiment, KeyValue, ModelVersion, RegisteredModel, RunInfo } from '../mlflow/entities.ts';

/**
 * What `trove import` reads from any source (an MLflow server's REST API, an MLflow database, a
 * Trove archive): MLflow's own entities, plus the few fields MLflow's wire format leaves out.
 * Times are int64 milliseconds as numbers.
 */
export interface ImportExperiment extends Experiment {
  /** MLflow keeps no deletion time for experiments: `last_update_time` is used when absent. */
  deleted_time?: number;
}

export interface ImportRun {
  info: RunInfo & { deleted_time?: number };
  params: KeyValue[];
  tags: KeyValue[];
  inputs: DatasetInput[];
  /** MLflow 3: logged models the run read (`inputs.model_inputs`) and wrote (`outputs.model_outputs`). */
  modelInputs?: { model_id: string }[];
  modelOutputs?: { model_id: string; step: number }[];
}

/** One metric point as MLflow stores it: `value` may be NaN or ±Infinity. */
export interface ImportMetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface ImportModelVersion extends ModelVersion {
  storage_location?: string;
  /** MLflow's soft delete (stage `Deleted_Internal`, database sources only). */
  deleted?: boolean;
}

export interface ImportModel {
  model: RegisteredModel;
  versions: ImportModelVersion[];
}

/** A point of a logged model's metric, with the run and dataset it was logged against. */
export interface ImportLoggedModelMetric extends ImportMetricPoint {
  run_id?: string;
  dataset_name?: string;
  dataset_digest?: string;
}

/** An MLflow 3 logged model (`models:/m-…`); its artifacts live apart from any run's. */
export interface ImportLoggedModel {
  model_id: string;
  experiment_id: string;
  name: string;
  artifact_uri: string;
  status: string;
  status_message?: string;
  model_type?: string;
  source_run_id?: string;
  creation_time: number;
  last_update_time: number;
  params: KeyValue[];
  tags: KeyValue[];
  metrics: ImportLoggedModelMetric[];
}

/** One artifact file of a run, relative to the run's artifact root. */
export interface ImportArtifact {
  path: string;
  size: number;
}

/** Counts the final report compares between the source and what Trove holds. */
export interface ImportCounts {
  experiments: number;
  runs: number;
  params: number;
  tags: number;
  metricPoints: number;
  datasetInputs: number;
  models: number;
  versions: number;
  aliases: number;
  /** MLflow 3: logged models, their params, tags and metric points, and run→model input/output edges. */
  loggedModels: number;
  loggedModelParams: number;
  loggedModelTags: number;
  loggedModelMetrics: number;
  modelEdges: number;
  /** Run and logged-model artifacts together. */
  artifacts: number;
  artifactBytes: number;
}

export interface ImportReport {
  source: string;
  target: string;
  workspace: string;
  /** Schema or server version the source reported. */
  sourceVersion: string;
  source_counts: ImportCounts;
  target_counts: ImportCounts;
  /** Artifacts whose SHA-256 in Trove differs from the source's (`<run id>/<path>`). */
  checksumMismatches: string[];
  /** Artifacts compared by SHA-256. */
  checksummed: number;
  /** Runs skipped because they were already imported and matched. */
  skippedRuns: number;
  importedRuns: number;
  /** The same for MLflow 3 logged models. */
  skippedLoggedModels: number;
  importedLoggedModels: number;
  ok: boolean;
  seconds: number;
}
