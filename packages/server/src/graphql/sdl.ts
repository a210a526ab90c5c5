import { RUN_STATUSES, VIEW_TYPES } from '@trove/protocol';

/**
 * The GraphQL schema MLflow 2.17's UI queries at `/graphql`, in SDL. Type, field and enum names
 * are MLflow's (its fields are the protobuf fields in camelCase); int64 fields are `LongString`,
 * written as decimal strings so JavaScript clients do not round them. The two "searches" are
 * mutations in MLflow's schema (so Apollo never caches them) and stay so here.
 */
export const SDL = /* GraphQL */ `
"""Tags a query with the UI component that sends it; accepted and ignored."""
directive @component(name: String!) on QUERY | MUTATION

"""Long converted to string to prevent truncation to max integer in JavaScript"""
scalar LongString

type Query {
  mlflowGetExperiment(input: MlflowGetExperimentInput): MlflowGetExperimentResponse
  mlflowGetMetricHistoryBulkInterval(input: MlflowGetMetricHistoryBulkIntervalInput): MlflowGetMetricHistoryBulkIntervalResponse
  mlflowGetRun(input: MlflowGetRunInput): MlflowGetRunResponse
  mlflowListArtifacts(input: MlflowListArtifactsInput): MlflowListArtifactsResponse
  mlflowSearchModelVersions(input: MlflowSearchModelVersionsInput): MlflowSearchModelVersionsResponse
  """Simple echoing field"""
  test(inputString: String): Test
}

type Mutation {
  mlflowSearchDatasets(input: MlflowSearchDatasetsInput): MlflowSearchDatasetsResponse
  mlflowSearchRuns(input: MlflowSearchRunsInput): MlflowSearchRunsResponse
  """Simple echoing field"""
  testMutation(inputString: String): TestMutation
}

type Test {
  """Echoes the input string"""
  output: String
}

type TestMutation {
  """Echoes the input string"""
  output: String
}

type ErrorDetail {
  field: String
  message: String
}

type ApiError {
  code: String
  message: String
  helpUrl: String
  traceId: String
  errorDetails: [ErrorDetail]
}

enum MlflowRunStatus { ${RUN_STATUSES.join(' ')} }
enum MlflowViewType { ${VIEW_TYPES.join(' ')} }
enum MlflowModelVersionStatus { PENDING_REGISTRATION FAILED_REGISTRATION READY }

input MlflowGetExperimentInput { experimentId: String }
input MlflowGetRunInput { runId: String, runUuid: String }
input MlflowListArtifactsInput { runId: String, runUuid: String, path: String, pageToken: String }
input MlflowSearchDatasetsInput { experimentIds: [String] }
input MlflowGetMetricHistoryBulkIntervalInput { runIds: [String], metricKey: String, startStep: Int, endStep: Int, maxResults: Int }
input MlflowSearchModelVersionsInput { filter: String, maxResults: LongString, orderBy: [String], pageToken: String }
input MlflowSearchRunsInput {
  experimentIds: [String]
  filter: String
  runViewType: MlflowViewType = null
  maxResults: Int
  orderBy: [String]
  pageToken: String
}

type MlflowExperimentTag { key: String, value: String }

type MlflowExperiment {
  experimentId: String
  name: String
  artifactLocation: String
  lifecycleStage: String
  lastUpdateTime: LongString
  creationTime: LongString
  tags: [MlflowExperimentTag!]
}

type MlflowGetExperimentResponse {
  experiment: MlflowExperiment
  apiError: ApiError
}

type MlflowRunInfo {
  runId: String
  runUuid: String
  runName: String
  experimentId: String
  userId: String
  status: MlflowRunStatus
  startTime: LongString
  endTime: LongString
  artifactUri: String
  lifecycleStage: String
}

type MlflowMetric { key: String, value: Float, timestamp: LongString, step: LongString }
type MlflowParam { key: String, value: String }
type MlflowRunTag { key: String, value: String }

type MlflowRunData {
  metrics: [MlflowMetric!]
  params: [MlflowParam!]
  tags: [MlflowRunTag!]
}

type MlflowDataset {
  name: String
  digest: String
  sourceType: String
  source: String
  schema: String
  profile: String
}

type MlflowInputTag { key: String, value: String }
type MlflowDatasetInput { tags: [MlflowInputTag!], dataset: MlflowDataset }
type MlflowRunInputs { datasetInputs: [MlflowDatasetInput!] }

"""A run, with its experiment and the model versions registered from it."""
type MlflowRunExtension {
  info: MlflowRunInfo
  data: MlflowRunData
  inputs: MlflowRunInputs
  experiment: MlflowExperiment
  modelVersions: [MlflowModelVersion!]
}

type MlflowGetRunResponse {
  run: MlflowRunExtension
  apiError: ApiError
}

type MlflowSearchRunsResponse {
  runs: [MlflowRunExtension!]
  nextPageToken: String
  apiError: ApiError
}

type MlflowMetricWithRunId { key: String, value: Float, timestamp: LongString, step: LongString, runId: String }

type MlflowGetMetricHistoryBulkIntervalResponse {
  metrics: [MlflowMetricWithRunId!]
  apiError: ApiError
}

type MlflowFileInfo { path: String, isDir: Boolean, fileSize: LongString }

type MlflowListArtifactsResponse {
  rootUri: String
  files: [MlflowFileInfo!]
  nextPageToken: String
  apiError: ApiError
}

type MlflowDatasetSummary { experimentId: String, name: String, digest: String, context: String }

type MlflowSearchDatasetsResponse {
  datasetSummaries: [MlflowDatasetSummary!]
  apiError: ApiError
}

type MlflowModelVersionTag { key: String, value: String }

type MlflowModelVersion {
  name: String
  version: String
  creationTimestamp: LongString
  lastUpdatedTimestamp: LongString
  userId: String
  currentStage: String
  description: String
  source: String
  runId: String
  status: MlflowModelVersionStatus
  statusMessage: String
  tags: [MlflowModelVersionTag!]
  runLink: String
  aliases: [String]
}

type MlflowSearchModelVersionsResponse {
  modelVersions: [MlflowModelVersion!]
  nextPageToken: String
  apiError: ApiError
}
`;
