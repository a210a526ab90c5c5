/** Registry writes over MLflow's API (models, versions, tags, stages, aliases), one function each. */
import { apiDeleteJson, apiPatch, apiPost } from './client.ts';
import type { ModelVersion, RegisteredModel } from './types.ts';

export interface TagInput {
  key: string;
  value: string;
}

export const createRegisteredModel = async (name: string, description: string, tags: TagInput[]) =>
  (
    await apiPost<{ registered_model: RegisteredModel }>('/registered-models/create', {
      name,
      description: description || undefined,
      tags: tags.length ? tags : undefined,
    })
  ).registered_model;

export const updateModelDescription = (name: string, description: string) =>
  apiPatch<unknown>('/registered-models/update', { name, description });
export const deleteRegisteredModel = (name: string) => apiDeleteJson<unknown>('/registered-models/delete', { name });
export const setModelTag = (name: string, key: string, value: string) =>
  apiPost<unknown>('/registered-models/set-tag', { name, key, value });
export const deleteModelTag = (name: string, key: string) =>
  apiDeleteJson<unknown>('/registered-models/delete-tag', { name, key });
export const setAlias = (name: string, alias: string, version: string) =>
  apiPost<unknown>('/registered-models/alias', { name, alias, version });
export const deleteAlias = (name: string, alias: string) =>
  apiDeleteJson<unknown>('/registered-models/alias', { name, alias });

export const createModelVersion = async (input: { name: string; source: string; run_id?: string }) =>
  (await apiPost<{ model_version: ModelVersion }>('/model-versions/create', input)).model_version;
export const updateVersionDescription = (name: string, version: string, description: string) =>
  apiPatch<unknown>('/model-versions/update', { name, version, description });
export const deleteModelVersion = (name: string, version: string) =>
  apiDeleteJson<unknown>('/model-versions/delete', { name, version });
export const setVersionTag = (name: string, version: string, key: string, value: string) =>
  apiPost<unknown>('/model-versions/set-tag', { name, version, key, value });
export const deleteVersionTag = (name: string, version: string, key: string) =>
  apiDeleteJson<unknown>('/model-versions/delete-tag', { name, version, key });
export const transitionStage = (name: string, version: string, stage: string, archiveExisting: boolean) =>
  apiPost<unknown>('/model-versions/transition-stage', {
    name,
    version,
    stage,
    archive_existing_versions: archiveExisting,
  });
