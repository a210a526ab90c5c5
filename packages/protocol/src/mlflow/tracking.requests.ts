import { dbl, defineMessage, enumOf, i32, i64, objList, str, strList } from '../message.ts';
import { LOGGED_MODEL_STATUSES, RUN_STATUSES, VIEW_TYPES } from './enums.ts';

// Request messages of MLflow's tracking service (reference §4–6). Field names are the proto names.

export const CreateExperiment = defineMessage({ name: str(true), artifact_location: str(), tags: objList() });
export const GetExperiment = defineMessage({ experiment_id: str(true) });
export const GetExperimentByName = defineMessage({ experiment_name: str(true) });
export const SearchExperiments = defineMessage({
  max_results: i64(),
  page_token: str(),
  filter: str(),
  order_by: strList(),
  view_type: enumOf(VIEW_TYPES),
});
export const ExperimentId = defineMessage({ experiment_id: str(true) });
export const UpdateExperiment = defineMessage({ experiment_id: str(true), new_name: str(true) });
export const SetExperimentTag = defineMessage({ experiment_id: str(true), key: str(true), value: str() });
export const DeleteExperimentTag = defineMessage({ experiment_id: str(true), key: str(true) });

export const CreateRun = defineMessage({
  experiment_id: str(),
  user_id: str(),
  run_name: str(),
  start_time: i64(),
  tags: objList(),
});
export const RunRef = defineMessage({ run_id: str(), run_uuid: str() });
export const UpdateRun = defineMessage({
  run_id: str(),
  run_uuid: str(),
  status: enumOf(RUN_STATUSES),
  end_time: i64(),
  run_name: str(),
});
export const LogMetric = defineMessage({
  run_id: str(),
  run_uuid: str(),
  key: str(true),
  value: dbl(true),
  timestamp: i64(true),
  step: i64(),
  model_id: str(),
  dataset_name: str(),
  dataset_digest: str(),
});
export const LogParam = defineMessage({ run_id: str(), run_uuid: str(), key: str(true), value: str() });
export const SetTag = defineMessage({ run_id: str(), run_uuid: str(), key: str(true), value: str() });
export const DeleteTag = defineMessage({ run_id: str(true), key: str(true) });
export const LogBatch = defineMessage({ run_id: str(true), metrics: objList(), params: objList(), tags: objList() });
export const LogModel = defineMessage({ run_id: str(true), model_json: str(true) });
export const LogInputs = defineMessage({ run_id: str(true), datasets: objList(), models: objList() });
export const LogOutputs = defineMessage({ run_id: str(true), models: objList(true) });
export const SearchRuns = defineMessage({
  experiment_ids: strList(),
  filter: str(),
  run_view_type: enumOf(VIEW_TYPES),
  max_results: i32(),
  order_by: strList(),
  page_token: str(),
});
export const GetMetricHistory = defineMessage({
  run_id: str(),
  run_uuid: str(),
  metric_key: str(true),
  max_results: i32(),
  page_token: str(),
});
export const GetMetricHistoryBulkInterval = defineMessage({
  run_ids: strList(true),
  metric_key: str(true),
  start_step: i64(),
  end_step: i64(),
  max_results: i32(),
});
// Required fields are checked by the service, in MLflow's order and words.
export const GetMetricHistoryBulk = defineMessage({ run_id: strList(), metric_key: str(), max_results: i32() });
export const ListArtifacts = defineMessage({ run_id: str(), run_uuid: str(), path: str(), page_token: str() });
export const SearchDatasets = defineMessage({ experiment_ids: strList() });

export const CreateLoggedModel = defineMessage({
  experiment_id: str(true),
  name: str(),
  model_type: str(),
  source_run_id: str(),
  params: objList(),
  tags: objList(),
});
export const FinalizeLoggedModel = defineMessage({ model_id: str(), status: enumOf(LOGGED_MODEL_STATUSES, true) });
export const SetLoggedModelTags = defineMessage({ tags: objList() });
export const LogLoggedModelParams = defineMessage({ params: objList() });
export const SearchLoggedModels = defineMessage({
  experiment_ids: strList(),
  filter: str(),
  datasets: objList(),
  max_results: i32(),
  order_by: objList(),
  page_token: str(),
});
export const ListLoggedModelArtifacts = defineMessage({ artifact_directory_path: str(), page_token: str() });
