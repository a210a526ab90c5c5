import { defineMessage, i32, str } from '../message.ts';

// Request messages of Trove's native project and name-search API (/api/trove/v1).

export const CreateProject = defineMessage({ name: str(true), description: str() });
export const UpdateProject = defineMessage({ name: str(), description: str() });
export const AssignExperiment = defineMessage({ experiment_id: str(true) });
export const AssignModel = defineMessage({ name: str(true) });
export const NameSearch = defineMessage({ q: str(), max_results: i32() });

/** Longest project name accepted (characters). */
export const PROJECT_NAME_MAX_LENGTH = 256;
/** Longest project description accepted (characters). */
export const PROJECT_DESCRIPTION_MAX_LENGTH = 5000;
