import { HttpClient, optionsFromEnv, RegistryClient, ReviewClient, TrackingClient } from '@trove/sdk';
import type { Command } from 'commander';

/** The flags every command that talks to a server takes. */
export interface ClientOptions {
  trackingUri?: string;
  workspace?: string;
  json?: boolean;
}

/**
 * A client of a running server: `--tracking-uri`, else `MLFLOW_TRACKING_URI`, else
 * http://127.0.0.1:5000; credentials from `TROVE_TOKEN`, else MLflow's `MLFLOW_TRACKING_TOKEN`,
 * else `MLFLOW_TRACKING_USERNAME`/`MLFLOW_TRACKING_PASSWORD` (basic).
 */
export function httpClientOf(opts: ClientOptions, env: NodeJS.ProcessEnv = process.env): HttpClient {
  const fromEnv = optionsFromEnv(env);
  const token = env.TROVE_TOKEN;
  return new HttpClient({
    ...fromEnv,
    trackingUri: opts.trackingUri ?? fromEnv.trackingUri,
    workspace: opts.workspace,
    ...(token ? { auth: { token } } : {}),
  });
}

/** The typed clients of one transport (one set of retries and credentials). */
export function clientsOf(opts: ClientOptions) {
  const http = httpClientOf(opts);
  return {
    http,
    tracking: new TrackingClient(http),
    registry: new RegistryClient(http),
    reviews: new ReviewClient(http),
  };
}

/** Adds `--tracking-uri` and `--workspace`. */
export const clientFlags = (cmd: Command) =>
  cmd
    .option('--tracking-uri <uri>', 'the server (default: MLFLOW_TRACKING_URI, else http://127.0.0.1:5000)')
    .option('--workspace <name>', 'the workspace, when the tracking URI does not name one');

/** {@link clientFlags} plus `--json`. */
export const readFlags = (cmd: Command) =>
  clientFlags(cmd).option('--json', 'print one line of JSON (shapes: docs/cli.md) instead of a table');
