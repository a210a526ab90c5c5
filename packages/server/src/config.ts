import { resolve } from 'node:path';
import { isS3Uri, parseS3Uri } from '@trove/artifacts';

/** Server configuration, parsed once (see `parseServerConfig`) and frozen. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly backendStoreUri: string;
  /** Where proxied artifacts physically live: an absolute local directory, or `s3://bucket/prefix` (see `openArtifactStore`). */
  readonly artifactsDestination: string;
  /** Root URI recorded on new experiments; `mlflow-artifacts:/` means "proxied by this server". */
  readonly defaultArtifactRoot: string;
  readonly workers: number;
  readonly logLevel: string;
}

export interface ServerConfigInput {
  host?: string;
  port?: string | number;
  backendStoreUri?: string;
  artifactsDestination?: string;
  defaultArtifactRoot?: string;
  workers?: string | number;
  logLevel?: string;
}

/** Builds the config from flags, falling back to `TROVE_*` environment variables, then defaults. */
export function parseServerConfig(input: ServerConfigInput, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const problems: string[] = [];
  const dataDir = resolve(env.TROVE_DATA_DIR ?? 'trove-data');
  const port = Number(input.port ?? env.TROVE_PORT ?? 5000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`--port must be an integer 0..65535, got ${input.port}`);
  const workers = Number(input.workers ?? env.TROVE_WORKERS ?? 1);
  if (!Number.isInteger(workers) || workers < 1) problems.push(`--workers must be a positive integer, got ${input.workers}`);
  const artifactsDestination = input.artifactsDestination ?? env.TROVE_ARTIFACTS_DESTINATION ?? `${dataDir}/artifacts`;
  const s3Destination = isS3Uri(artifactsDestination);
  if (s3Destination) {
    try {
      parseS3Uri(artifactsDestination);
    } catch (e) {
      problems.push(`--artifacts-destination ${(e as Error).message}`);
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(artifactsDestination) && !artifactsDestination.startsWith('file://')) {
    problems.push(`--artifacts-destination ${artifactsDestination}: only local directories and s3://bucket/prefix are supported`);
  }
  if (problems.length > 0) throw new Error(`Invalid server configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze({
    host: input.host ?? env.TROVE_HOST ?? '127.0.0.1',
    port,
    backendStoreUri: input.backendStoreUri ?? env.TROVE_BACKEND_STORE_URI ?? `sqlite:///${dataDir}/trove.db`,
    artifactsDestination: s3Destination ? artifactsDestination : resolve(artifactsDestination.replace(/^file:\/\//, '')),
    defaultArtifactRoot: input.defaultArtifactRoot ?? env.TROVE_DEFAULT_ARTIFACT_ROOT ?? 'mlflow-artifacts:/',
    workers,
    logLevel: input.logLevel ?? env.TROVE_LOG_LEVEL ?? 'warn',
  });
}
