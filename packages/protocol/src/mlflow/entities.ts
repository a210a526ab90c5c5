import type { LifecycleStage, LoggedModelStatus, RunStatus } from './enums.ts';
import type { WebhookStatus } from './webhook.requests.ts';
import type { WebhookEventRef } from './webhook-events.ts';

// Response entities as MLflow emits them (reference §3). Unset fields are omitted, so optional
// fields are `?`; int64 values are numbers (or BigInt beyond 2^53, written as bare JSON numbers).
export type Int64 = number | bigint;

/**
 * A response shape as a reader that parses with plain `JSON.parse` holds it: every {@link Int64} a
 * number (one beyond 2^53 rounded). The web UI decodes every response so, once, at its edge.
 */
export type Int64AsNumber<T> = T extends bigint
  ? never
  : T extends object
    ? { [K in keyof T]: Int64AsNumber<T[K]> }
    : T;

export interface KeyValue {
  key: string;
  value: string;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  last_update_time: Int64;
  creation_time: Int64;
  tags?: KeyValue[];
}

export interface RunInfo {
  run_id: string;
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: RunStatus;
  start_time: Int64;
  end_time?: Int64;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

/** A metric value: a number, or "NaN" (MLflow's JSON for non-finite doubles). */
export type MetricValue = number | 'NaN' | 'Infinity' | '-Infinity';

export interface Metric {
  key: string;
  value: MetricValue;
  timestamp: Int64;
  step: Int64;
  dataset_name?: string;
  dataset_digest?: string;
  model_id?: string;
  run_id?: string;
}

export interface Dataset {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface DatasetInput {
  tags?: KeyValue[];
  dataset: Dataset;
}

export interface Run {
  info: RunInfo;
  data: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] };
  inputs?: { dataset_inputs?: DatasetInput[]; model_inputs?: { model_id: string }[] };
  outputs?: { model_outputs?: { model_id: string; step: Int64 }[] };
}

export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: Int64;
}

export interface LoggedModel {
  info: {
    model_id: string;
    experiment_id: string;
    name: string;
    creation_timestamp_ms: Int64;
    last_updated_timestamp_ms: Int64;
    artifact_uri: string;
    status: LoggedModelStatus;
    creator_id?: Int64;
    model_type?: string;
    source_run_id?: string;
    status_message?: string;
    tags?: KeyValue[];
    registrations?: { name: string; version: string }[];
  };
  data: { params?: KeyValue[]; metrics?: Metric[] };
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp: Int64;
  last_updated_timestamp: Int64;
  user_id?: string;
  current_stage: string;
  description?: string;
  source: string;
  run_id?: string;
  status: 'READY';
  status_message?: string;
  tags?: KeyValue[];
  run_link?: string;
  aliases?: string[];
  model_id?: string;
}

export interface RegisteredModel {
  name: string;
  creation_timestamp: Int64;
  last_updated_timestamp: Int64;
  user_id?: string;
  description?: string;
  latest_versions?: ModelVersion[];
  tags?: KeyValue[];
  aliases?: { alias: string; version: string }[];
}

/** MLflow 3's Webhook entity; the secret is never part of it. */
export interface Webhook {
  webhook_id: string;
  name: string;
  description?: string;
  url: string;
  events: WebhookEventRef[];
  status: WebhookStatus;
  creation_timestamp: number;
  last_updated_timestamp: number;
}

/** What `POST /webhooks/{id}/test` answers under `result`. */
export interface WebhookTestResult {
  success: boolean;
  response_status?: number;
  response_body?: string;
  error_message?: string;
}
