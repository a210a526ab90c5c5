/** Deployments of model versions (`/api/trove/v1`): one function per endpoint. */
import type { Deployments } from '@trove/protocol';
import { troveGet } from './client.ts';

export type Deployment = Deployments.Deployment;

export const listDeployments = (name: string, signal?: AbortSignal) =>
  troveGet<Deployments.ListDeploymentsResponse>(
    `/registered-models/${encodeURIComponent(name)}/deployments`,
    {},
    signal,
  );
