import type { Generated } from 'kysely';
import type {
  ApiTokenTable,
  AuditLogTable,
  ExperimentPermissionTable,
  GroupMemberTable,
  RegisteredModelPermissionTable,
  UserGroupTable,
  UserSessionTable,
  UserTable,
  WorkspaceMemberTable,
} from './auth-schema.ts';
import type { NotificationDatabase } from './notification-schema.ts';

export * from './auth-schema.ts';
export * from './notification-schema.ts';

/**
 * Table types for Kysely. Times are int64 milliseconds. Runs have an integer surrogate key
 * (`id`) so the large child tables (params, tags, metric series/points) stay compact; the
 * MLflow run id is `run_uuid`.
 */
export interface WorkspaceTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  creation_time: number;
  /** The experiment that MLflow's id "0" (Default) means inside this workspace. */
  default_experiment_id: number | null;
}

export interface ExperimentTable {
  experiment_id: Generated<number>;
  workspace_id: number;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
  deleted_time: number | null;
}

export interface ExperimentTagTable {
  experiment_id: number;
  key: string;
  value: string;
}

export interface RunTable {
  id: Generated<number>;
  run_uuid: string;
  experiment_id: number;
  name: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  artifact_uri: string;
  lifecycle_stage: string;
  deleted_time: number | null;
}

/** `value` is what MLflow sees; `value_type` keeps the native type ('string' | 'number' | 'bool' | 'json'). */
export interface ParamTable {
  run_id: number;
  key: string;
  value: string;
  value_type: string;
}

export interface RunTagTable {
  run_id: number;
  key: string;
  value: string;
}

/**
 * One row per (run, key): the latest point by (step, timestamp, value) as MLflow defines it,
 * plus min/max/count, so search and run listings never touch the points table.
 */
export interface MetricSeriesTable {
  id: Generated<number>;
  run_id: number;
  key: string;
  value: number;
  is_nan: number;
  step: number;
  timestamp: number;
  min_value: number | null;
  max_value: number | null;
  point_count: number;
  /** 0: points in metric_points rows; 1: packed in metric_chunks. */
  layout: Generated<number>;
}

/** Runs of points of one series packed into a blob (see point-chunk.ts), in history order. */
export interface MetricChunkTable {
  series_id: number;
  seq: number;
  point_count: number;
  first_timestamp: number;
  first_step: number;
  last_timestamp: number;
  last_step: number;
  last_is_nan: number;
  last_value: number;
  data: Uint8Array;
  /** First/min/max/last points (metrics/chunk-summary.ts); null when a previous release wrote the chunk. */
  summary: Uint8Array | null;
  /** The point_count the summary describes: stale when it differs. */
  summary_count: number | null;
  /** Distinct steps among the chunk's points (metrics/chunk-steps.ts); null when a previous release wrote the chunk. */
  distinct_steps: number | null;
  /** The point_count distinct_steps describes: stale when it differs. */
  distinct_steps_count: number | null;
}

/** Points keyed by (series, timestamp, step, is_nan, value): MLflow's history order and dedup key. */
export interface MetricPointTable {
  series_id: number;
  timestamp: number;
  step: number;
  is_nan: number;
  value: number;
  model_id: string | null;
  dataset_name: string | null;
  dataset_digest: string | null;
}

export interface DatasetTable {
  id: Generated<number>;
  experiment_id: number;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
}

export interface RunInputTable {
  run_id: number;
  dataset_id: number;
  tags_json: string;
}

export interface RunModelEdgeTable {
  run_id: number;
  model_id: string;
  direction: string;
  step: number;
}

export interface LoggedModelTable {
  model_id: string;
  experiment_id: number;
  name: string;
  artifact_uri: string;
  status: string;
  status_message: string | null;
  model_type: string | null;
  source_run_id: string | null;
  creation_time: number;
  last_update_time: number;
  lifecycle_stage: string;
}

export interface LoggedModelKvTable {
  model_id: string;
  key: string;
  value: string;
}

export interface LoggedModelMetricTable {
  model_id: string;
  key: string;
  value: number;
  is_nan: number;
  timestamp: number;
  step: number;
  run_id: string | null;
  dataset_name: string | null;
  dataset_digest: string | null;
}

export interface RegisteredModelTable {
  id: Generated<number>;
  workspace_id: number;
  name: string;
  description: string | null;
  user_id: string | null;
  creation_time: number;
  last_update_time: number;
  next_version: number;
}

export interface RegisteredModelTagTable {
  model_id: number;
  key: string;
  value: string;
}

/** `deleted = 1` is MLflow's soft delete (stage `Deleted_Internal`): hidden, number never reused. */
export interface ModelVersionTable {
  model_id: number;
  version: number;
  creation_time: number;
  last_update_time: number;
  description: string | null;
  user_id: string | null;
  current_stage: string;
  source: string;
  storage_location: string | null;
  run_id: string | null;
  run_link: string | null;
  status_message: string | null;
  logged_model_id: string | null;
  deleted: number;
}

export interface ModelVersionTagTable {
  model_id: number;
  version: number;
  key: string;
  value: string;
}

export interface RegisteredModelAliasTable {
  model_id: number;
  alias: string;
  version: number;
}

export interface RegistryEventTable {
  id: Generated<number>;
  workspace_id: number;
  model_id: number | null;
  model_name: string;
  version: number | null;
  entity: string;
  action: string;
  actor: string | null;
  payload: string;
  time: number;
  /** Set for run events (comments on runs, runs finishing); `model_name` is '' then. */
  run_id: string | null;
}

/** One event of the live-event log (migration 0017); `topics` are space-separated `<workspace id>/<topic>`. */
export interface LiveEventTable {
  id: Generated<number>;
  /** PostgreSQL: the writing transaction's id (commit order); SQLite: 0. */
  tx: Generated<number>;
  time: number;
  topics: string;
  name: string;
  /** JSON. */
  payload: string;
}

/** `kind` is 'stage' | 'alias'; `target` a canonical stage, an alias, or '*' for all of that kind. */
export interface ReviewPolicyTable {
  model_id: number;
  kind: string;
  target: string;
  required_approvals: number;
  /** JSON array of group names an approver must belong to (one of them); null: no group needed. */
  approver_groups: string | null;
  /** `editor` | `manager` | `admin`: the least an approver must hold on the model; null: no role needed. */
  approver_role: string | null;
}

/** `action`: 'transition' | 'set_alias' | 'delete_alias'; `status`: pending → applying → approved | failed, or rejected | cancelled. */
export interface ReviewRequestTable {
  id: Generated<number>;
  workspace_id: number;
  model_id: number;
  version: number;
  action: string;
  target: string;
  archive_existing: number;
  requester: string;
  comment: string | null;
  status: string;
  required_approvals: number;
  status_message: string | null;
  claimed_until: number;
  creation_time: number;
  last_update_time: number;
}

export interface ReviewVoteTable {
  request_id: number;
  actor: string;
  decision: string;
  comment: string | null;
  time: number;
}

/** On a model version (`model_id`, `version`) or on a run (`run_uuid`). */
export interface CommentTable {
  id: Generated<number>;
  workspace_id: number;
  model_id: number | null;
  version: number | null;
  run_uuid: string | null;
  author: string;
  body: string;
  creation_time: number;
  last_update_time: number;
}

export interface WebhookTable {
  webhook_id: string;
  workspace_id: number;
  name: string;
  description: string | null;
  url: string;
  secret: string | null;
  status: string;
  creation_time: number;
  last_update_time: number;
}

/** Subscriptions, lower-case names (`model_version`, `created`). */
export interface WebhookEventTable {
  webhook_id: string;
  entity: string;
  action: string;
}

/** The outbox. `status`: pending | delivered | failed; a claim is `claimed_until` in the future. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  delivery_id: string;
  webhook_id: string;
  workspace_id: number;
  event_id: number | null;
  entity: string;
  action: string;
  body: string;
  status: string;
  attempts: number;
  /** `attempts` when the delivery was last queued: the retry budget counts from here. */
  retry_floor: number;
  next_attempt_time: number;
  claimed_until: number;
  claim_token: string | null;
  creation_time: number;
  last_attempt_time: number | null;
}

export interface WebhookAttemptTable {
  id: Generated<number>;
  delivery_id: string;
  attempt: number;
  time: number;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
  success: number;
}

/** A colour (`#rrggbb`) per run tag key and workspace. */
export interface TagColorTable {
  workspace_id: number;
  key: string;
  color: string;
}

/** A project groups experiments and registered models of one workspace (membership tables below). */
export interface ProjectTable {
  id: Generated<number>;
  workspace_id: number;
  name: string;
  description: string | null;
  creation_time: number;
  last_update_time: number;
}

export interface ProjectExperimentTable {
  experiment_id: number;
  project_id: number;
}

export interface ProjectModelTable {
  model_id: number;
  project_id: number;
}

export interface TraceTable {
  id: Generated<number>;
  trace_id: string;
  experiment_id: number;
  timestamp_ms: number;
  execution_time_ms: number | null;
  state: string;
  name: string | null;
  run_uuid: string | null;
  client_request_id: string | null;
  request_preview: string | null;
  response_preview: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  span_count: Generated<number>;
  spans_format: string | null;
  request_json: string | null;
  response_json: string | null;
}

export interface TraceKvTable {
  trace_pk: number;
  key: string;
  value: string;
}

export interface TraceSpanTable {
  trace_pk: number;
  span_id: string;
  parent_span_id: string | null;
  name: string | null;
  span_type: string | null;
  status: string | null;
  /** Nanoseconds since the epoch; bound as BigInt (they exceed 2^53). */
  start_time_ns: bigint | number | null;
  end_time_ns: bigint | number | null;
  content: string;
}

export interface TraceAssessmentTable {
  assessment_id: string;
  trace_pk: number;
  name: string;
  kind: string;
  span_id: string | null;
  run_uuid: string | null;
  valid: number;
  overrides: string | null;
  creation_time: number;
  last_update_time: number;
  content: string;
}

/** A deployment record a CD system made; the newest row of an environment is what runs there. */
export interface DeploymentTable {
  id: Generated<number>;
  workspace_id: number;
  model_id: number;
  /** The model's name when recorded. */
  model_name: string;
  version: number;
  environment: string;
  /** 'running' | 'stopped' | 'failed' */
  status: string;
  url: string | null;
  description: string | null;
  actor: string | null;
  time: number;
}

/** Alert rules per experiment (migration 0019); the kind says which of the optional columns apply. */
export interface AlertRuleTable {
  id: Generated<number>;
  workspace_id: number;
  experiment_id: number;
  name: string;
  kind: string;
  metric_key: string | null;
  op: string | null;
  threshold: number | null;
  mode: string | null;
  steps: number | null;
  minutes: number | null;
  enabled: number;
  /** Bumped by every edit; part of an alert's once-only key. */
  revision: number;
  created_by: string | null;
  creation_time: number;
  last_update_time: number;
}

/** A fired alert; UNIQUE (rule_id, rule_revision, run_id). `run_id` is `runs.id`. */
export interface AlertTable {
  id: Generated<number>;
  workspace_id: number;
  rule_id: number;
  rule_revision: number;
  rule_name: string;
  kind: string;
  experiment_id: number;
  run_id: number;
  run_uuid: string;
  condition: string;
  metric_key: string | null;
  value: number | null;
  is_nan: number;
  step: number | null;
  fired_at: number;
  resolved_at: number | null;
}

/** A `no_improvement` rule's best value so far per run. */
export interface AlertStateTable {
  rule_id: number;
  run_id: number;
  rule_revision: number;
  best_value: number;
  best_step: number;
}

/** One row (id 1): the rules revision replicas poll, and the alert scheduler's lease. */
export interface AlertMetaTable {
  id: number;
  rules_revision: number;
  lease_holder: string | null;
  lease_until: number;
}

export interface Database extends NotificationDatabase {
  users: UserTable;
  user_groups: UserGroupTable;
  group_members: GroupMemberTable;
  api_tokens: ApiTokenTable;
  user_sessions: UserSessionTable;
  workspace_members: WorkspaceMemberTable;
  experiment_permissions: ExperimentPermissionTable;
  registered_model_permissions: RegisteredModelPermissionTable;
  audit_log: AuditLogTable;
  registry_events: RegistryEventTable;
  live_events: LiveEventTable;
  review_policies: ReviewPolicyTable;
  review_requests: ReviewRequestTable;
  review_votes: ReviewVoteTable;
  comments: CommentTable;
  webhooks: WebhookTable;
  webhook_events: WebhookEventTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_delivery_attempts: WebhookAttemptTable;
  registered_models: RegisteredModelTable;
  registered_model_tags: RegisteredModelTagTable;
  model_versions: ModelVersionTable;
  model_version_tags: ModelVersionTagTable;
  registered_model_aliases: RegisteredModelAliasTable;
  deployments: DeploymentTable;
  workspaces: WorkspaceTable;
  projects: ProjectTable;
  project_experiments: ProjectExperimentTable;
  project_models: ProjectModelTable;
  experiments: ExperimentTable;
  experiment_tags: ExperimentTagTable;
  runs: RunTable;
  params: ParamTable;
  run_tags: RunTagTable;
  tag_colors: TagColorTable;
  metric_series: MetricSeriesTable;
  metric_points: MetricPointTable;
  metric_chunks: MetricChunkTable;
  datasets: DatasetTable;
  run_inputs: RunInputTable;
  run_model_edges: RunModelEdgeTable;
  logged_models: LoggedModelTable;
  logged_model_tags: LoggedModelKvTable;
  logged_model_params: LoggedModelKvTable;
  logged_model_metrics: LoggedModelMetricTable;
  traces: TraceTable;
  trace_tags: TraceKvTable;
  trace_metadata: TraceKvTable;
  trace_spans: TraceSpanTable;
  trace_assessments: TraceAssessmentTable;
  alert_rules: AlertRuleTable;
  alerts: AlertTable;
  alert_state: AlertStateTable;
  alert_meta: AlertMetaTable;
}
