import { defineMessage, enumOf, i64, str } from '../message.ts';

// Deployments of model versions, recorded by CD systems (`/api/trove/v1/deployments`).

export const DEPLOYMENT_STATUSES = ['running', 'stopped', 'failed'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** Longest environment name (characters). */
export const DEPLOYMENT_ENVIRONMENT_MAX_LENGTH = 128;
/** Longest URL (characters). */
export const DEPLOYMENT_URL_MAX_LENGTH = 2048;
/** Longest description (characters). */
export const DEPLOYMENT_DESCRIPTION_MAX_LENGTH = 5000;

export const RecordDeployment = defineMessage({
  name: str(true),
  version: i64(true),
  environment: str(true),
  status: enumOf(DEPLOYMENT_STATUSES),
  url: str(),
  description: str(),
});

/** The CD-friendly twin of {@link RecordDeployment}: flat JSON or a form, `model` for the name. */
export const DeploymentHook = defineMessage({
  model: str(true),
  version: i64(true),
  environment: str(true),
  status: enumOf(DEPLOYMENT_STATUSES),
  url: str(),
  description: str(),
});

export const ListDeployments = defineMessage({ max_results: i64() });

export interface Deployment {
  deployment_id: string;
  name: string;
  version: string;
  environment: string;
  status: DeploymentStatus;
  url?: string;
  description?: string;
  /** Who recorded it. */
  user_id?: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** The newest record of its environment: what runs there now. */
  current: boolean;
}

export interface DeploymentResponse {
  deployment: Deployment;
}

/** The current record of each environment first (newest first), then the history, newest first. */
export interface ListDeploymentsResponse {
  deployments: Deployment[];
}
