import { openArtifactStore } from '@trove/artifacts';
import { LIMITS, parseJson } from '@trove/protocol';
import type { Store } from '@trove/store';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AlertConfig } from './alerts/alert-config.ts';
import { createAlertScheduler } from './alerts/alert-scheduler.ts';
import type { Auth } from './auth/index.ts';
import { createSso } from './auth/sso.ts';
import type { ServerConfig } from './config.ts';
import { rememberBodySource } from './http/body-source.ts';
import { mlflowClientErrorHandler } from './http/client-errors.ts';
import { installCors } from './http/cors.ts';
import { installErrorHandling } from './http/errors.ts';
import { installHostCheck } from './http/host-check.ts';
import { type LoggerSetting, loggerOptions } from './http/log-options.ts';
import { createRouter } from './http/router.ts';
import { installServeMode, stripStaticPrefix } from './http/serve-mode.ts';
import { createEventStreams } from './live/event-stream.ts';
import { createLiveHub } from './live/live-hub.ts';
import { createNotificationDispatcher } from './notifications/notification-dispatcher.ts';
import { genRequestId, registerOperations } from './ops/operations.ts';
import { registerAlertRoutes } from './routes/alerts.routes.ts';
import { registerArtifactRoutes } from './routes/artifacts.routes.ts';
import { registerCommentRoutes } from './routes/comments.routes.ts';
import { registerExperimentKeyRoutes } from './routes/experiment-keys.routes.ts';
import { registerExperimentRoutes } from './routes/experiments.routes.ts';
import { registerGraphqlRoutes } from './routes/graphql.routes.ts';
import { registerIdentityRoutes } from './routes/identity.routes.ts';
import { registerLineageRoutes } from './routes/lineage.routes.ts';
import { registerLiveEventRoutes } from './routes/live-events.routes.ts';
import { registerLoggedModelRoutes } from './routes/logged-models.routes.ts';
import { registerMetricChartRoutes } from './routes/metric-charts.routes.ts';
import { registerMetricRoutes } from './routes/metrics.routes.ts';
import { registerMlflowAuthRoutes } from './routes/mlflow-auth.routes.ts';
import { registerNativeRunRoutes } from './routes/native-runs.routes.ts';
import { registerNotificationRoutes } from './routes/notifications.routes.ts';
import { registerOtlpRoutes } from './routes/otlp.routes.ts';
import { registerProjectRoutes } from './routes/projects.routes.ts';
import { registerPromptlabRoutes } from './routes/promptlab.routes.ts';
import { registerRegistryRoutes } from './routes/registry.routes.ts';
import { registerReviewRoutes } from './routes/review.routes.ts';
import { registerRunTagRoutes } from './routes/run-tags.routes.ts';
import { registerRunRoutes } from './routes/runs.routes.ts';
import { registerRunsExportRoutes } from './routes/runs-export.routes.ts';
import { registerSavedViewRoutes } from './routes/saved-views.routes.ts';
import { registerSsoRoutes } from './routes/sso.routes.ts';
import { registerSystemRoutes } from './routes/system.routes.ts';
import { registerTraceViewRoutes } from './routes/trace-views.routes.ts';
import { registerTraceV2Routes } from './routes/traces.routes.ts';
import { registerTraceV3Routes } from './routes/traces-v3.routes.ts';
import { registerWebhookDeliveryRoutes } from './routes/webhook-deliveries.routes.ts';
import { registerWebhookRoutes } from './routes/webhooks.routes.ts';
import { registerWorkspaceRoutes } from './routes/workspaces.routes.ts';
import { createServices } from './services/index.ts';
import type { WebhookConfig } from './webhooks/webhook-config.ts';
import { createWebhookDispatcher } from './webhooks/webhook-dispatcher.ts';
import { warnAboutPlainSecrets } from './webhooks/webhook-secrets.ts';

export interface AppDeps {
  config: ServerConfig;
  store: Store;
  logger?: LoggerSetting;
  /** Overrides of the webhook settings otherwise read from the environment. */
  webhooks?: Partial<WebhookConfig>;
  /** Overrides of the alert settings (a test clock, a short scheduler interval). */
  alerts?: Partial<AlertConfig>;
}

/** The composition root: builds services over the given store and mounts every route. */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const { store, logger, webhooks } = deps;
  const config: ServerConfig = deps.alerts
    ? { ...deps.config, alerts: { ...deps.config.alerts, ...deps.alerts } }
    : deps.config;
  const app = Fastify({
    logger: loggerOptions(logger ?? { level: config.logLevel }),
    bodyLimit: LIMITS.jsonBodyBytes,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 1000 },
    // `x-request-id` is honoured when sane, else a UUID (unique across replicas); it is echoed
    // in the response header and is the `reqId` of every log line of the request.
    requestIdHeader: false,
    genReqId: genRequestId,
    // Long GET filters and run_id lists: room for 64 KiB of request line and headers.
    http: { maxHeaderSize: 64 * 1024 },
    clientErrorHandler: mlflowClientErrorHandler,
    rewriteUrl: stripStaticPrefix(config.staticPrefix),
  });
  installHostCheck(app, config.allowedHosts);
  installCors(app, config.corsOrigins);
  installServeMode(app, config);
  installErrorHandling(app);
  installBodyParsers(app);
  app.addHook('onSend', async (_req, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'SAMEORIGIN');
  });

  const webhookConfig: WebhookConfig = { ...config.webhooks, ...webhooks };
  const services = createServices(store, config, webhookConfig, openArtifactStore(config.artifactsDestination));
  await services.workspaces.bootstrap();
  await bootstrapAuth(app, services.auth);
  await warnAboutPlainSecrets(store, webhookConfig.secretKey, config.auth.enabled, app.log);
  registerOperations(app, { store, artifacts: services.artifacts.store });
  requireRouterOrPublic(app);
  const router = createRouter(app, services.workspaces.resolve, {
    check: services.auth.guard.check,
    audit: services.auth.audit,
  });
  registerSystemRoutes(app);
  registerIdentityRoutes(router, services);
  if (config.auth.enabled) registerMlflowAuthRoutes(router, services);
  if (config.auth.sso) registerSsoRoutes(router, services, createSso(store, config.auth.sso, app.log));
  registerExperimentRoutes(router, services);
  registerRunRoutes(router, services);
  registerMetricRoutes(router, services);
  registerMetricChartRoutes(router, services);
  registerLoggedModelRoutes(router, services);
  registerLineageRoutes(router, services);
  registerTraceV2Routes(router, services);
  registerOtlpRoutes(router, services);
  registerTraceViewRoutes(router, services);
  registerTraceV3Routes(router, services);
  registerRegistryRoutes(router, services);
  registerNativeRunRoutes(router, services);
  registerArtifactRoutes(router, services);
  registerPromptlabRoutes(router, services, config.deploymentsTarget);
  registerWorkspaceRoutes(router, services);
  registerWebhookRoutes(router, services);
  registerWebhookDeliveryRoutes(router, services);
  registerReviewRoutes(router, services);
  registerCommentRoutes(router, services);
  registerRunTagRoutes(router, services);
  registerSavedViewRoutes(router, services);
  registerExperimentKeyRoutes(router, services);
  registerRunsExportRoutes(router, services);
  registerProjectRoutes(router, services);
  registerGraphqlRoutes(router, services);
  const liveHub = createLiveHub(store);
  const liveStreams = createEventStreams(liveHub);
  registerLiveEventRoutes(router, liveStreams);
  // Open event streams would hold the server's close for ever: end them first.
  app.addHook('preClose', async () => liveStreams.closeAll());
  app.addHook('onClose', async () => liveHub.close());
  registerAlertRoutes(router, services);
  registerNotificationRoutes(router, services);
  app.decorate('rpcCatalog', router.catalog);
  if (webhookConfig.dispatcher) {
    const dispatcher = createWebhookDispatcher(store, webhookConfig, app.log);
    app.addHook('onReady', async () => dispatcher.start());
    app.addHook('onClose', async () => dispatcher.stop());
    // The same switch: a process that sends webhooks sends notifications.
    const notifier = createNotificationDispatcher(store, config.notify, webhookConfig, services.channelSender, app.log);
    app.addHook('onReady', async () => notifier.start());
    app.addHook('onClose', async () => notifier.stop());
  }
  if (config.alerts.scheduler) {
    const scheduler = createAlertScheduler(store, services.alertFiring, config.alerts, app.log);
    app.addHook('onReady', async () => scheduler.start());
    app.addHook('onClose', async () => scheduler.stop());
  }
  if (!config.notify.smtpUrl) app.log.info('Notification email is off: no SMTP server is configured (--smtp-url).');
  return app;
}

/** The first admin from the environment; without any admin, the server says how to make one. */
async function bootstrapAuth(app: FastifyInstance, auth: Auth): Promise<void> {
  if (!auth.config.enabled) return;
  const admin = await auth.identity.bootstrapAdmin();
  if (admin === 'missing')
    app.log.warn(
      'Authentication is on and no admin exists: create one with `trove user create --admin <name>`, ' +
        'or start the server with TROVE_ADMIN_USERNAME and TROVE_ADMIN_PASSWORD set.',
    );
}

/**
 * Routes outside the router (and so outside its guard) may only read public things: health and
 * version, the ops endpoints, and the UI's static files. Anything else must go through the router.
 */
const API_PREFIX = /^\/(api|ajax-api|graphql|get-artifact|model-versions|w\/)/;

function requireRouterOrPublic(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if ((route.config as { routed?: boolean } | undefined)?.routed === true) return;
    const methods = [route.method].flat();
    if (API_PREFIX.test(route.url) || methods.some((m) => m !== 'GET' && m !== 'HEAD'))
      throw new Error(`${methods.join(',')} ${route.url} is mounted outside the router, so no access rule guards it`);
  });
}

/** A form body's fields; a repeated field keeps its first value, as query strings do. */
function formFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) if (!(k in out)) out[k] = v;
  return out;
}

function installBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, {});
    try {
      done(null, rememberBodySource(parseJson(text), text));
    } catch (e) {
      const err = e as Error & { statusCode?: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  // Artifact uploads stream: their routes read `request.raw` themselves. Other non-JSON bodies
  // are accepted only where MLflow parses regardless of Content-Type (PATCH/DELETE).
  app.addContentTypeParser('*', (req, payload, done) => {
    if (req.method === 'PUT' || (req.routeOptions.config as { rawBody?: boolean } | undefined)?.rawBody)
      return done(null, undefined);
    let text = '';
    payload.setEncoding('utf8');
    payload.on('data', (chunk: string) => {
      text += chunk;
    });
    payload.on('error', (e) => done(e, undefined));
    payload.on('end', () => {
      const forms = (req.routeOptions.config as { forms?: boolean } | undefined)?.forms === true;
      if (forms && /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? ''))
        return done(null, formFields(text));
      if (req.method === 'POST' && text.trim() !== '') {
        const err = Object.assign(new Error('Bad Request. Content-Type must be application/json.'), {
          code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
          statusCode: 400,
        });
        return done(err, undefined);
      }
      try {
        done(null, text.trim() === '' ? {} : parseJson(text));
      } catch (e) {
        done(Object.assign(e as Error, { statusCode: 400 }), undefined);
      }
    });
  });
}
