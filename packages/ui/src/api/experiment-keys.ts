/** Every key an experiment's runs have logged (`/api/trove/v1/experiments/{id}/keys`), from the server's key registry. */
import type { ExperimentKeysResponse } from '@trove/protocol';
import { troveGet } from './client.ts';

export type ExperimentKeys = ExperimentKeysResponse;

export const getExperimentKeys = (experimentId: string, signal?: AbortSignal) =>
  troveGet<ExperimentKeys>(`/experiments/${encodeURIComponent(experimentId)}/keys`, {}, signal);
