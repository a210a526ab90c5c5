import type { Dataset, KeyValue, ModelVersion, Run } from '../mlflow/entities.ts';

// Trove's native model pages: a model version with everything its page shows
// (`GET /api/trove/v1/registered-models/{name}/versions/{version}`), and the MLmodel of a model
// logged in a run's artifacts (`GET /api/trove/v1/runs/{run_id}/mlmodel?path=`).

/** What a page shows of an `MLmodel` file. */
export interface MlModelInfo {
  artifact_path?: string;
  /** Flavor name → its section of the file (a mapping in any MLmodel MLflow writes). */
  flavors: Record<string, unknown>;
  /** Column/tensor specs, decoded from the JSON strings MLmodel stores them as. */
  signature?: { inputs?: unknown; outputs?: unknown; params?: unknown };
  saved_input_example_info?: Record<string, unknown>;
  model_uuid?: string;
  model_id?: string;
  run_id?: string;
  utc_time_created?: string;
  mlflow_version?: string;
  model_size_bytes?: number;
  metadata?: unknown;
}

/**
 * The parsed MLmodel when this server holds the model's files (`mlflow-artifacts:` locations), with
 * the saved input example when small and valid JSON; `mlmodel_error` when the file could not be
 * read; nothing for locations the client reaches itself.
 */
export interface MlModelResponse {
  mlmodel?: MlModelInfo;
  input_example?: unknown;
  mlmodel_error?: string;
}

/** A dataset the version's run logged, with the run input's tags and its `mlflow.data.context` tag. */
export type VersionDataset = Dataset & { context?: string; tags: KeyValue[] };

/** dataset → run → version → stage/aliases. */
export interface Lineage {
  datasets: { name: string; digest: string; context?: string }[];
  run?: { run_id: string; run_name: string; experiment_id: string };
  logged_model_id?: string;
  model_version: { name: string; version: string };
  stage: string;
  aliases: string[];
}

export interface VersionPageResponse extends MlModelResponse {
  model_version: ModelVersion;
  /** The version's run (its `run_id`, else the run a `runs:/` source names) when it still exists. */
  run?: Run;
  datasets: VersionDataset[];
  lineage: Lineage;
}
