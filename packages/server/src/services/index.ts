import { type Store, createRunDataWriter } from '@trove/store';
import type { ServerConfig } from '../config.ts';
import { createArtifactService } from './artifact.service.ts';
import { createExperimentService } from './experiment.service.ts';
import { createLoggedModelService } from './logged-model.service.ts';
import { createMetricHistoryService } from './metric-history.service.ts';
import { createModelVersionService } from './model-version.service.ts';
import { createRegisteredModelService } from './registered-model.service.ts';
import { createNativeLogService } from './native-log.service.ts';
import { createRunDataService } from './run-data.service.ts';
import { createRunIoService } from './run-io.service.ts';
import { createRunService } from './run.service.ts';
import { createWorkspaceService } from './workspace.service.ts';

/** Builds every service over one store; the only place services are wired together. */
export function createServices(store: Store, config: ServerConfig) {
  const workspaces = createWorkspaceService(store, config.defaultArtifactRoot);
  const experiments = createExperimentService(store, config.defaultArtifactRoot);
  const runs = createRunService(store, experiments);
  const writer = createRunDataWriter(store);
  const runData = createRunDataService(store, runs, writer);
  const nativeLog = createNativeLogService(store, runs, writer);
  const loggedModels = createLoggedModelService(store, experiments);
  const runIo = createRunIoService(store, runs);
  const metricHistory = createMetricHistoryService(store, runs);
  const artifacts = createArtifactService(store, config, runs);
  const registeredModels = createRegisteredModelService(store);
  const modelVersions = createModelVersionService(store, config, registeredModels, runs);
  return { workspaces, experiments, runs, runData, runIo, metricHistory, nativeLog, loggedModels, artifacts, registeredModels, modelVersions };
}

export type Services = ReturnType<typeof createServices>;
