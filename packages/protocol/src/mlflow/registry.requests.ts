import { bool, defineMessage, i64, objList, str, strList } from '../message.ts';

// Request messages of MLflow's model registry (reference §7).

export const CreateRegisteredModel = defineMessage({
  name: str(true),
  tags: objList(),
  description: str(),
  deployment_job_id: str(),
});
export const ModelName = defineMessage({ name: str(true) });
export const RenameRegisteredModel = defineMessage({ name: str(true), new_name: str(true) });
export const UpdateRegisteredModel = defineMessage({ name: str(true), description: str() });
export const SearchRegisteredModels = defineMessage({
  filter: str(),
  max_results: i64(),
  order_by: strList(),
  page_token: str(),
});
export const GetLatestVersions = defineMessage({ name: str(true), stages: strList() });
export const SetRegisteredModelTag = defineMessage({ name: str(true), key: str(true), value: str() });
export const DeleteRegisteredModelTag = defineMessage({ name: str(true), key: str(true) });
export const SetAlias = defineMessage({ name: str(true), alias: str(true), version: str(true) });
export const AliasRef = defineMessage({ name: str(true), alias: str(true) });

export const CreateModelVersion = defineMessage({
  name: str(true),
  source: str(true),
  run_id: str(),
  tags: objList(),
  run_link: str(),
  description: str(),
  model_id: str(),
});
export const ModelVersionRef = defineMessage({ name: str(true), version: str(true) });
export const UpdateModelVersion = defineMessage({ name: str(true), version: str(true), description: str() });
export const TransitionStage = defineMessage({
  name: str(true),
  version: str(true),
  stage: str(true),
  archive_existing_versions: bool(),
});
export const SearchModelVersions = defineMessage({
  filter: str(),
  max_results: i64(),
  order_by: strList(),
  page_token: str(),
});
export const SetModelVersionTag = defineMessage({ name: str(true), version: str(true), key: str(true), value: str() });
export const DeleteModelVersionTag = defineMessage({ name: str(true), version: str(true), key: str(true) });
