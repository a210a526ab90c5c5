/** MLflow's experiment writes (create, rename, delete, restore, tags), one function each. */
import { apiPost } from './client.ts';

export async function createExperiment(name: string): Promise<string> {
  return (await apiPost<{ experiment_id: string }>('/experiments/create', { name })).experiment_id;
}
export const renameExperiment = (experimentId: string, newName: string) =>
  apiPost<unknown>('/experiments/update', { experiment_id: experimentId, new_name: newName });
export const deleteExperiment = (experimentId: string) =>
  apiPost<unknown>('/experiments/delete', { experiment_id: experimentId });
export const restoreExperiment = (experimentId: string) =>
  apiPost<unknown>('/experiments/restore', { experiment_id: experimentId });
export const setExperimentTag = (experimentId: string, key: string, value: string) =>
  apiPost<unknown>('/experiments/set-experiment-tag', { experiment_id: experimentId, key, value });
export const deleteExperimentTag = (experimentId: string, key: string) =>
  apiPost<unknown>('/experiments/delete-experiment-tag', { experiment_id: experimentId, key });
