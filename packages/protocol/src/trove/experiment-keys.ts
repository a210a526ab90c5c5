// Trove's native key listing (GET /api/trove/v1/experiments/{experiment_id}/keys): every param,
// metric and run tag key any run of the experiment has logged, read from the experiment's key
// registry rather than from its runs, so it costs the same for 10 runs and for 100k.

/**
 * Each list sorted by byte order. Tags include MLflow's `mlflow.*` ones. A key no run holds any
 * more (a deleted or renamed tag, purged runs) may still be listed.
 */
export interface ExperimentKeysResponse {
  params: string[];
  metrics: string[];
  tags: string[];
}
