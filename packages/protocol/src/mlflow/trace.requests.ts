import { bool, defineMessage, i32, i64, obj, objList, str, strList } from '../message.ts';

// Request messages of MLflow's trace service: V2 (`/api/2.0/mlflow/traces…`, MLflow 2.14+) and
// V3 (`/api/3.0/mlflow/traces…`, MLflow 3). V3 messages carry nested objects (`trace`,
// `assessment`, `locations`) with protobuf Timestamp/Duration strings; the V3 service decodes them.

export const TRACE_STATES = ['TRACE_STATUS_UNSPECIFIED', 'STATE_UNSPECIFIED', 'OK', 'ERROR', 'IN_PROGRESS'] as const;

export const StartTrace = defineMessage({
  experiment_id: str(),
  timestamp_ms: i64(),
  request_metadata: objList(),
  tags: objList(),
});
export const EndTrace = defineMessage({
  request_id: str(),
  timestamp_ms: i64(),
  status: str(),
  request_metadata: objList(),
  tags: objList(),
});
export const SearchTraces = defineMessage({
  experiment_ids: strList(),
  filter: str(),
  max_results: i32(),
  order_by: strList(),
  page_token: str(),
});
export const DeleteTraces = defineMessage({
  experiment_id: str(),
  max_timestamp_millis: i64(),
  max_traces: i32(),
  request_ids: strList(),
});
export const SetTraceTag = defineMessage({ key: str(), value: str() });
export const DeleteTraceTag = defineMessage({ key: str() });
export const LinkTracesToRun = defineMessage({ trace_ids: strList(), run_id: str() });
export const GetTraceArtifact = defineMessage({ request_id: str() });

export const StartTraceV3 = defineMessage({ trace: obj(true) });
export const GetTrace = defineMessage({ trace_id: str(true), allow_partial: bool() });
export const BatchGetTraces = defineMessage({ trace_ids: strList(true) });
export const SearchTracesV3 = defineMessage({
  locations: objList(),
  filter: str(),
  max_results: i32(),
  order_by: strList(),
  page_token: str(),
});
export const CreateAssessment = defineMessage({ assessment: obj(true) });
/** `update_mask` is a protobuf FieldMask in its JSON form: comma-separated paths (`assessmentName,feedback`). */
export const UpdateAssessment = defineMessage({ assessment: obj(true), update_mask: str(true) });
export const CalculateTraceFilterCorrelation = defineMessage({
  experiment_ids: strList(true),
  filter_string1: str(true),
  filter_string2: str(true),
  base_filter: str(),
});
