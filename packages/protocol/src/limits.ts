/**
 * Validation limits (reference §13). Trove never truncates: where MLflow truncates long param
 * and tag values, Trove stores values intact up to these limits and rejects longer ones with 400.
 */
export const LIMITS = {
  keyLength: 250,
  /** MLflow truncates params at 6000 characters and run tags at 8000; Trove keeps them whole up to 1 MiB. */
  paramValueLength: 1_048_576,
  runTagValueLength: 1_048_576,
  experimentNameLength: 500,
  experimentTagValueLength: 5000,
  artifactLocationLength: 2048,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  searchRunsMaxResults: 50_000,
  searchRunsDefault: 1000,
  searchExperimentsMaxResults: 50_000,
  bulkIntervalRunIds: 100,
  bulkIntervalMaxResults: 2500,
  /** MLflow's cap on the points one run contributes to a get-history-bulk-interval answer. */
  bulkIntervalPointsPerRun: 25_000,
  bulkHistoryMaxResults: 25_000,
  datasetName: 500,
  datasetDigest: 36,
  datasetSource: 65_535,
  datasetSchema: 1_048_575,
  datasetProfile: 16_777_215,
  inputTagKey: 255,
  inputTagValue: 500,
  registryTagValueLength: 100_000,
  registeredModelNameLength: 256,
  aliasLength: 255,
  searchRegisteredModelsDefault: 100,
  searchRegisteredModelsMax: 1000,
  searchModelVersionsMax: 200_000,
  /** Largest JSON request body accepted (bytes); artifact uploads stream and have no limit. */
  jsonBodyBytes: 16 * 1024 * 1024,
} as const;

/** Finite stand-in MLflow stores for ±Infinity metric values. */
export const DOUBLE_MAX = 1.7976931348623157e308;
