import { resolve } from 'node:path';
import { isS3Uri, parseS3Uri } from '@trove/artifacts';
import { type AlertConfig, readAlertConfig } from './alerts/alert-config.ts';
import { type AuthConfig, type AuthConfigInput, isLoopbackHost, readAuthConfig } from './auth/auth-config.ts';
import { type DatabaseConfig, readDatabaseConfig } from './database-config.ts';
import { normalOrigin } from './http/cors.ts';
import { allowedHostsFor } from './http/host-check.ts';
import { type NotifyConfig, readNotifyConfig } from './notifications/notify-config.ts';
import { localArtifactPath, recordedLocation } from './services/local-artifact-root.ts';
import { parseSecretKey } from './webhooks/secret-box.ts';
import { readWebhookConfig, type WebhookConfig } from './webhooks/webhook-config.ts';

/** Server configuration, parsed once (see `parseServerConfig`) and frozen. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly backendStoreUri: string;
  /** Pool size and statement timeout on PostgreSQL (`TROVE_DB_*`). */
  readonly database: DatabaseConfig;
  /** Where proxied artifacts physically live: an absolute local directory, or `s3://bucket/prefix` (see `openArtifactStore`). */
  readonly artifactsDestination: string;
  /** Root URI recorded on new experiments; `mlflow-artifacts:/` means "proxied by this server". */
  readonly defaultArtifactRoot: string;
  readonly workers: number;
  readonly logLevel: string;
  /** `--no-serve-artifacts` turns the `mlflow-artifacts` proxy off (its routes answer 503, as MLflow's). */
  readonly serveArtifacts: boolean;
  /** `--artifacts-only`: only the artifact proxy (and health/version) is served. */
  readonly artifactsOnly: boolean;
  /**
   * Local directories whose experiments' and runs' artifacts this server reads and writes: a local
   * `--default-artifact-root`, the artifacts destination, and `TROVE_LOCAL_ARTIFACT_ROOTS`
   * (`:`-separated). Local locations elsewhere are recorded, as MLflow records them, but not served.
   */
  readonly localArtifactRoots: readonly string[];
  /** MLflow's `MLFLOW_DEPLOYMENTS_TARGET`: the AI gateway `gateway-proxy` forwards to; undefined when none. */
  readonly deploymentsTarget: string | undefined;
  /** Webhook delivery settings (`MLFLOW_WEBHOOK_*`, `TROVE_WEBHOOK_*`). */
  readonly webhooks: WebhookConfig;
  /** Alert rule evaluation and the scheduler of time-based rules (`TROVE_ALERT_*`). */
  readonly alerts: AlertConfig;
  /** MLflow's `MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX`: sources must also match it. */
  readonly modelSourceRegex: string | undefined;
  /** `--static-prefix /p`: every route (API and UI) is served under `/p`; '' when none. */
  readonly staticPrefix: string;
  /** Identity and access control (`--app-name basic-auth`, `TROVE_AUTH`, `TROVE_ADMIN_*`). */
  readonly auth: AuthConfig;
  /**
   * The Host names requests may carry: loopback names on a loopback address with auth off, plus
   * `TROVE_ALLOWED_HOSTS`; undefined when any is accepted (`http/host-check.ts`).
   */
  readonly allowedHosts: readonly string[] | undefined;
  /** Origins whose pages may call the API cross-origin (`TROVE_CORS_ORIGINS`); none by default. */
  readonly corsOrigins: readonly string[];
  /** Email (SMTP) and links of notifications (`--smtp-url`, `--public-url`). */
  readonly notify: NotifyConfig;
}

export interface ServerConfigInput {
  host?: string;
  port?: string | number;
  backendStoreUri?: string;
  artifactsDestination?: string;
  defaultArtifactRoot?: string;
  workers?: string | number;
  logLevel?: string;
  serveArtifacts?: boolean;
  artifactsOnly?: boolean;
  staticPrefix?: string;
  auth?: AuthConfigInput['auth'];
  appName?: string;
  insecureNoAuth?: boolean;
  smtpUrl?: string;
  publicUrl?: string;
}

/** Builds the config from flags, falling back to `TROVE_*` environment variables, then defaults. */
export function parseServerConfig(input: ServerConfigInput, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const problems: string[] = [];
  const dataDir = resolve(env.TROVE_DATA_DIR ?? 'trove-data');
  const port = Number(input.port ?? env.TROVE_PORT ?? 5000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`--port must be an integer 0..65535, got ${input.port}`);
  const workers = Number(input.workers ?? env.TROVE_WORKERS ?? 1);
  if (!Number.isInteger(workers) || workers < 1)
    problems.push(`--workers must be a positive integer, got ${input.workers}`);
  const artifactsDestination = input.artifactsDestination ?? env.TROVE_ARTIFACTS_DESTINATION ?? `${dataDir}/artifacts`;
  const s3Destination = isS3Uri(artifactsDestination);
  if (s3Destination) {
    try {
      parseS3Uri(artifactsDestination);
    } catch (e) {
      problems.push(`--artifacts-destination ${(e as Error).message}`);
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(artifactsDestination) && !artifactsDestination.startsWith('file://')) {
    problems.push(
      `--artifacts-destination ${artifactsDestination}: only local directories and s3://bucket/prefix are supported`,
    );
  }
  const staticPrefix = (input.staticPrefix ?? env.TROVE_STATIC_PREFIX ?? '').replace(/\/+$/, '');
  if (staticPrefix !== '' && !/^\/[A-Za-z0-9._~\-/]*$/.test(staticPrefix))
    problems.push(`--static-prefix must start with '/' and hold only URL path characters, got ${input.staticPrefix}`);
  const serveArtifacts = input.serveArtifacts ?? env.TROVE_SERVE_ARTIFACTS !== 'false';
  const artifactsOnly = input.artifactsOnly ?? env.TROVE_ARTIFACTS_ONLY === 'true';
  if (artifactsOnly && !serveArtifacts) problems.push('--artifacts-only cannot be combined with --no-serve-artifacts');
  const defaultArtifactRoot = recordedLocation(
    input.defaultArtifactRoot ?? env.TROVE_DEFAULT_ARTIFACT_ROOT ?? 'mlflow-artifacts:/',
    process.cwd(),
  );
  const localDefaultRoot = localArtifactPath(defaultArtifactRoot);
  const localArtifactRoots = [
    ...(localDefaultRoot ? [resolve(localDefaultRoot)] : []),
    ...(s3Destination ? [] : [resolve(artifactsDestination.replace(/^file:\/\//, ''))]),
    ...(env.TROVE_LOCAL_ARTIFACT_ROOTS ?? '')
      .split(':')
      .filter((d) => d !== '')
      .map((d) => resolve(d)),
  ];
  if (env.MLFLOW_DEPLOYMENTS_TARGET && !/^https?:\/\/[^/]+/i.test(env.MLFLOW_DEPLOYMENTS_TARGET))
    problems.push(`MLFLOW_DEPLOYMENTS_TARGET must be an http(s) URL, got ${env.MLFLOW_DEPLOYMENTS_TARGET}`);
  const sourceRegex = env.MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX;
  if (sourceRegex) {
    try {
      new RegExp(sourceRegex);
    } catch (e) {
      problems.push(
        `MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX is not a valid regular expression: ${(e as Error).message}`,
      );
    }
  }
  const auth = readAuthConfig({ ...input, staticPrefix }, env, problems);
  const host = input.host ?? env.TROVE_HOST ?? '127.0.0.1';
  if (!auth.enabled && !auth.insecureNoAuth && !isLoopbackHost(host))
    problems.push(
      `--host ${host} would serve every experiment and model to anyone who can reach it, with no sign-in. ` +
        'Turn authentication on (--app-name basic-auth, with TROVE_ADMIN_USERNAME and TROVE_ADMIN_PASSWORD for the ' +
        'first admin), or pass --insecure-no-auth to do this knowingly.',
    );
  const corsOrigins = list(env.TROVE_CORS_ORIGINS).map((o) => {
    const origin = normalOrigin(o);
    if (origin === undefined) problems.push(`TROVE_CORS_ORIGINS: '${o}' is no origin (scheme://host[:port])`);
    return origin ?? o;
  });
  const secretKey = env.TROVE_SECRET_KEY ? parseSecretKey(env.TROVE_SECRET_KEY) : undefined;
  if (typeof secretKey === 'string') problems.push(secretKey);
  const notify = readNotifyConfig(input, env, problems);
  const database = readDatabaseConfig(env, problems);
  if (problems.length > 0) throw new Error(`Invalid server configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze({
    host,
    auth,
    port,
    backendStoreUri: input.backendStoreUri ?? env.TROVE_BACKEND_STORE_URI ?? `sqlite:///${dataDir}/trove.db`,
    database: Object.freeze(database),
    artifactsDestination: s3Destination
      ? artifactsDestination
      : resolve(artifactsDestination.replace(/^file:\/\//, '')),
    defaultArtifactRoot,
    localArtifactRoots: Object.freeze(localArtifactRoots),
    workers,
    logLevel: input.logLevel ?? env.TROVE_LOG_LEVEL ?? 'warn',
    serveArtifacts,
    artifactsOnly,
    staticPrefix,
    deploymentsTarget: env.MLFLOW_DEPLOYMENTS_TARGET || undefined,
    webhooks: Object.freeze({
      ...readWebhookConfig(env),
      secretKey: typeof secretKey === 'string' ? undefined : secretKey,
    }),
    alerts: Object.freeze(readAlertConfig(env)),
    allowedHosts: allowedHostsFor(host, auth.enabled, list(env.TROVE_ALLOWED_HOSTS)),
    corsOrigins: Object.freeze(corsOrigins),
    notify,
    modelSourceRegex: env.MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX || undefined,
  });
}

/** A comma-separated setting as its entries. */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
