/** Trove's native workspace, project and name-search endpoints, one function each. */
import type { Projects, Workspaces } from '@trove/protocol';
import { troveGet, troveRootGet, troveSend } from './client.ts';
import type { Parsed } from './types.ts';

export type WorkspaceInfo = Workspaces.Workspace;
export type Project = Projects.Project;
export type ProjectDetail = Parsed<Projects.GetProjectResponse>;
export type NameSearchResult = Projects.NameSearchResponse;

export const listWorkspaces = async (signal?: AbortSignal) =>
  (await troveRootGet<Workspaces.ListWorkspacesResponse>('/workspaces', signal)).workspaces;

export const listProjects = async (signal?: AbortSignal) =>
  (await troveGet<Projects.ListProjectsResponse>('/projects', {}, signal)).projects;
export const getProject = (id: string, signal?: AbortSignal) =>
  troveGet<Projects.GetProjectResponse>(`/projects/${encodeURIComponent(id)}`, {}, signal);
export const createProject = async (name: string, description?: string) =>
  (await troveSend<Projects.ProjectResponse>('POST', '/projects', { name, description: description || undefined }))
    .project;
export const updateProject = async (id: string, patch: { name?: string; description?: string }) =>
  (await troveSend<Projects.ProjectResponse>('PATCH', `/projects/${encodeURIComponent(id)}`, patch)).project;
export const deleteProject = (id: string) => troveSend<object>('DELETE', `/projects/${encodeURIComponent(id)}`);
export const assignExperiment = (id: string, experimentId: string) =>
  troveSend<object>('POST', `/projects/${encodeURIComponent(id)}/experiments`, { experiment_id: experimentId });
export const unassignExperiment = (id: string, experimentId: string) =>
  troveSend<object>('DELETE', `/projects/${encodeURIComponent(id)}/experiments/${encodeURIComponent(experimentId)}`);
export const assignModel = (id: string, name: string) =>
  troveSend<object>('POST', `/projects/${encodeURIComponent(id)}/registered-models`, { name });
export const unassignModel = (id: string, name: string) =>
  troveSend<object>('DELETE', `/projects/${encodeURIComponent(id)}/registered-models/${encodeURIComponent(name)}`);

export const searchNames = (q: string, signal?: AbortSignal) =>
  troveGet<Projects.NameSearchResponse>('/search', { q, max_results: 8 }, signal);
