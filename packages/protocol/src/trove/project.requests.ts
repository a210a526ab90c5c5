import { defineMessage, i32, str } from '../message.ts';
import type { Experiment } from '../mlflow/entities.ts';

// Request and response messages of Trove's native project and name-search API (/api/trove/v1).

export const CreateProject = defineMessage({ name: str(true), description: str() });
export const UpdateProject = defineMessage({ name: str(), description: str() });
export const AssignExperiment = defineMessage({ experiment_id: str(true) });
export const AssignModel = defineMessage({ name: str(true) });
export const NameSearch = defineMessage({ q: str(), max_results: i32() });

/** Longest project name accepted (characters). */
export const PROJECT_NAME_MAX_LENGTH = 256;
/** Longest project description accepted (characters). */
export const PROJECT_DESCRIPTION_MAX_LENGTH = 5000;

// Responses.

export interface Project {
  project_id: string;
  name: string;
  description?: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  experiment_count: number;
  model_count: number;
}

/** Create and update answer `{project}`. */
export interface ProjectResponse {
  project: Project;
}

export interface ListProjectsResponse {
  projects: Project[];
}

/** A registered model as a project lists it. */
export interface ProjectModel {
  name: string;
  description?: string;
  last_updated_timestamp: number;
}

/** `GET /projects/{id}`: the project and what it groups. */
export interface GetProjectResponse {
  project: Project;
  experiments: Experiment[];
  registered_models: ProjectModel[];
}

/**
 * `GET /search?q=`: active experiments, registered models and active runs whose name contains `q`,
 * and metric and param keys containing it, one per key and experiment (of active experiments).
 */
export interface NameSearchResponse {
  experiments: { experiment_id: string; name: string }[];
  registered_models: { name: string }[];
  runs: { run_id: string; run_name: string; experiment_id: string; experiment_name: string }[];
  keys: { kind: 'metric' | 'param'; key: string; experiment_id: string; experiment_name: string }[];
}
