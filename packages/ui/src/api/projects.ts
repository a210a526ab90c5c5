/** Trove's native workspace, project and name-search endpoints, one function each. */
import { troveGet, troveRootGet, troveSend } from './client.ts';
import type { Experiment } from './types.ts';

export interface WorkspaceInfo {
  name: string;
  description?: string;
}

export interface Project {
  project_id: string;
  name: string;
  description?: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  experiment_count: number;
  model_count: number;
}

export interface ProjectDetail {
  project: Project;
  experiments: Experiment[];
  registered_models: { name: string; description?: string; last_updated_timestamp: number }[];
}

export interface NameSearchResult {
  experiments: { experiment_id: string; name: string }[];
  registered_models: { name: string }[];
  runs: { run_id: string; run_name: string; experiment_id: string; experiment_name: string }[];
}

export const listWorkspaces = async (signal?: AbortSignal) => (await troveRootGet<{ workspaces: WorkspaceInfo[] }>('/workspaces', signal)).workspaces;

export const listProjects = async (signal?: AbortSignal) => (await troveGet<{ projects: Project[] }>('/projects', {}, signal)).projects;
export const getProject = (id: string, signal?: AbortSignal) => troveGet<ProjectDetail>(`/projects/${encodeURIComponent(id)}`, {}, signal);
export const createProject = async (name: string, description?: string) =>
  (await troveSend<{ project: Project }>('POST', '/projects', { name, description: description || undefined })).project;
export const updateProject = async (id: string, patch: { name?: string; description?: string }) =>
  (await troveSend<{ project: Project }>('PATCH', `/projects/${encodeURIComponent(id)}`, patch)).project;
export const deleteProject = (id: string) => troveSend<object>('DELETE', `/projects/${encodeURIComponent(id)}`);
export const assignExperiment = (id: string, experimentId: string) => troveSend<object>('POST', `/projects/${encodeURIComponent(id)}/experiments`, { experiment_id: experimentId });
export const unassignExperiment = (id: string, experimentId: string) =>
  troveSend<object>('DELETE', `/projects/${encodeURIComponent(id)}/experiments/${encodeURIComponent(experimentId)}`);
export const assignModel = (id: string, name: string) => troveSend<object>('POST', `/projects/${encodeURIComponent(id)}/registered-models`, { name });
export const unassignModel = (id: string, name: string) => troveSend<object>('DELETE', `/projects/${encodeURIComponent(id)}/registered-models/${encodeURIComponent(name)}`);

export const searchNames = (q: string, signal?: AbortSignal) => troveGet<NameSearchResult>('/search', { q, max_results: 8 }, signal);
