import type { ArtifactStore } from '@trove/artifacts';
import { createRunDataWriter, type Store } from '@trove/store';
import { createAlertFiring } from '../alerts/alert-firing.ts';
import { createAlertRuleCache } from '../alerts/alert-rule-cache.ts';
import { createAuth } from '../auth/index.ts';
import type { ServerConfig } from '../config.ts';
import { createChannelSender } from '../notifications/channel-sender.ts';
import type { WebhookConfig } from '../webhooks/webhook-config.ts';
import { createActivityService } from './activity.service.ts';
import { createAlertService } from './alert.service.ts';
import { createArtifactService } from './artifact.service.ts';
import { createAssessmentService } from './assessment.service.ts';
import { createBulkRunService } from './bulk-run.service.ts';
import { createCommentService } from './comment.service.ts';
import { createDeploymentService } from './deployment.service.ts';
import { createExperimentService } from './experiment.service.ts';
import { createExperimentKeysService } from './experiment-keys.service.ts';
import { createLineageService } from './lineage.service.ts';
import { createLoggedModelService } from './logged-model.service.ts';
import { createMetricChartService } from './metric-chart.service.ts';
import { createMetricHistoryService } from './metric-history.service.ts';
import { createMetricSummaryService } from './metric-summary.service.ts';
import { createModelHistoryService } from './model-history.service.ts';
import { createModelPageService } from './model-page.service.ts';
import { createModelVersionService } from './model-version.service.ts';
import { createNameSearchService } from './name-search.service.ts';
import { createNativeLogService } from './native-log.service.ts';
import { createNotificationService } from './notification.service.ts';
import { createNotificationSettingsService } from './notification-settings.service.ts';
import { createOtlpIngestService } from './otlp-ingest.service.ts';
import { createProjectService } from './project.service.ts';
import { createPromptlabRunService } from './promptlab-run.service.ts';
import { createRegisteredModelService } from './registered-model.service.ts';
import { createReviewDecisionService } from './review-decision.service.ts';
import { gateRegistry } from './review-gate.ts';
import { createReviewPolicyService } from './review-policy.service.ts';
import { createReviewRequestService } from './review-request.service.ts';
import { createRunService, type RunHooks } from './run.service.ts';
import { createRunDataService } from './run-data.service.ts';
import { createRunIoService } from './run-io.service.ts';
import { createRunTagService } from './run-tag.service.ts';
import { createSavedViewService } from './saved-view.service.ts';
import { createTagColorService } from './tag-color.service.ts';
import { createTraceService } from './trace.service.ts';
import { createTraceV3Service } from './trace-v3.service.ts';
import { createTraceViewService } from './trace-view.ts';
import { createWebhookService } from './webhook.service.ts';
import { createWebhookDeliveryService } from './webhook-delivery.service.ts';
import { createWorkspaceService } from './workspace.service.ts';

/** Builds every service over one store; the only place services are wired together. */
/** `artifactStore` is the proxy's store (`--artifacts-destination`), opened by the composition root. */
export function createServices(
  store: Store,
  config: ServerConfig,
  webhookConfig: WebhookConfig,
  artifactStore: ArtifactStore,
) {
  const auth = createAuth(store, config.auth);
  const workspaces = createWorkspaceService(store, config.defaultArtifactRoot);
  const experiments = createExperimentService(store, config.defaultArtifactRoot);
  const experimentKeys = createExperimentKeysService(store, experiments);
  const runHooks: RunHooks = {};
  const runs = createRunService(store, experiments, runHooks);
  const alertRules = createAlertRuleCache(store.db, config.alerts.rulesTtlMs);
  const alertFiring = createAlertFiring(store, alertRules, config.alerts.now);
  runHooks.prepareRunFailed = alertFiring.prepareRunFailed;
  const alerts = createAlertService(store, experiments, runs, alertRules);
  const writer = createRunDataWriter(store);
  const runData = createRunDataService(store, runs, writer, alertFiring.afterMetrics);
  const nativeLog = createNativeLogService(store, runs, writer, alertFiring.afterMetrics);
  const loggedModels = createLoggedModelService(store, experiments);
  const runIo = createRunIoService(store, runs);
  const metricHistory = createMetricHistoryService(store, runs);
  const metricCharts = createMetricChartService(metricHistory.reader);
  const metricSummaries = createMetricSummaryService(store, runs);
  const artifacts = createArtifactService(store, config, runs, artifactStore);
  const registeredModels = createRegisteredModelService(store);
  const modelVersions = createModelVersionService(store, config, registeredModels, runs);
  // Review requests apply through the ungated services; everything else sees the gated ones.
  const reviewPolicies = createReviewPolicyService(store, registeredModels);
  const reviewRequests = createReviewRequestService(store, registeredModels, modelVersions, reviewPolicies);
  const reviewDecisions = createReviewDecisionService(
    store,
    registeredModels,
    modelVersions,
    reviewRequests,
    reviewPolicies,
    auth.approvers,
  );
  const gated = gateRegistry(registeredModels, modelVersions, reviewPolicies);
  const comments = createCommentService(store, modelVersions, runs);
  const activity = createActivityService(store, registeredModels, runs);
  const modelPage = createModelPageService(modelVersions, runs, artifacts);
  const modelHistory = createModelHistoryService(store, modelVersions);
  const promptlabRuns = createPromptlabRunService(runs, runData, artifacts);
  const webhooks = createWebhookService(store, webhookConfig);
  const webhookDeliveries = createWebhookDeliveryService(store, webhooks);
  const runTags = createRunTagService(store, experiments);
  const tagColors = createTagColorService(store);
  const bulkRuns = createBulkRunService(store);
  const savedViews = createSavedViewService(store, experiments);
  const projects = createProjectService(store, experiments, registeredModels);
  const nameSearch = createNameSearchService(store);
  const traces = createTraceService(store, experiments, runs, artifacts);
  const otlp = createOtlpIngestService(store, experiments);
  const traceViews = createTraceViewService(store, traces, runs);
  const assessments = createAssessmentService(store, traces);
  const tracesV3 = createTraceV3Service(store, experiments, traces, assessments);
  const lineage = createLineageService(store);
  const deployments = createDeploymentService(store, registeredModels, modelVersions);
  const channelSender = createChannelSender(config.notify, webhookConfig);
  const notifications = createNotificationService(store, experiments, runs, registeredModels);
  const notificationSettings = createNotificationSettingsService(store, config.notify, webhookConfig, channelSender);
  return {
    auth,
    ...{
      workspaces,
      experiments,
      runs,
      runData,
      runIo,
      metricHistory,
      metricCharts,
      metricSummaries,
      nativeLog,
      loggedModels,
      artifacts,
      promptlabRuns,
      traces,
      otlp,
      traceViews,
      tracesV3,
      assessments,
    },
    registeredModels: gated.models,
    modelVersions: gated.versions,
    savedViews,
    experimentKeys,
    alerts,
    alertFiring,
    ...{ runTags, tagColors, bulkRuns },
    ...{
      reviewPolicies,
      reviewRequests,
      reviewDecisions,
      comments,
      activity,
      modelPage,
      modelHistory,
      webhooks,
      webhookDeliveries,
      projects,
      nameSearch,
      lineage,
      deployments,
    },
    ...{ channelSender, notifications, notificationSettings },
  };
}

export type Services = ReturnType<typeof createServices>;
