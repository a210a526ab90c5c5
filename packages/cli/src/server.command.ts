import cluster from 'node:cluster';
import { createApp, parseServerConfig, type ServerConfig } from '@trove/server';
import { openStore } from '@trove/store';
import type { Command } from 'commander';

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('Serve the tracking API, artifact proxy and UI (flags as `mlflow server`)')
    .option('-h, --host <host>', 'interface to bind', undefined)
    .option('-p, --port <port>', 'port to listen on (default 5000)')
    .option('--backend-store-uri <uri>', 'sqlite:///abs/path.db or a plain path (default ./trove-data/trove.db)')
    .option(
      '--artifacts-destination <dir|s3://bucket/prefix>',
      'where proxied artifacts are stored (default ./trove-data/artifacts)',
    )
    .option('--default-artifact-root <uri>', 'artifact root recorded on new experiments (default mlflow-artifacts:/)')
    .option('-w, --workers <n>', 'number of server processes sharing the port')
    .option('--log-level <level>', 'pino log level (default warn)')
    .option('--serve-artifacts', 'serve the mlflow-artifacts proxy (the default)')
    .option('--no-serve-artifacts', 'switch the mlflow-artifacts proxy off (its routes answer 503)')
    .option('--artifacts-only', 'serve only the artifact proxy (tracking and registry answer 503)')
    .option('--registry-store-uri <uri>', 'accepted for MLflow; must equal the backend store (Trove keeps one store)')
    .option('--static-prefix <prefix>', 'serve every route under this path prefix, e.g. /mlflow')
    .option('--expose-prometheus <dir>', 'accepted for MLflow; /metrics is always served')
    .option(
      '--app-name <name>',
      "basic-auth: require sign-in, with MLflow's auth API (as `mlflow server --app-name basic-auth`)",
    )
    .option('--auth', 'require sign-in (the same as --app-name basic-auth)')
    .option('--smtp-url <url>', 'send notification email through this SMTP server (smtp://user:pass@host:587)')
    .option('--public-url <url>', "this server's address as users reach it, for links in notifications")
    .option('--insecure-no-auth', 'allow binding a non-loopback --host with authentication off')
    .option('--gunicorn-opts <opts>', 'accepted for MLflow; does not apply')
    .option('--waitress-opts <opts>', 'accepted for MLflow; does not apply')
    .option('--uvicorn-opts <opts>', 'accepted for MLflow; does not apply')
    .option('--dev', 'accepted for MLflow; does not apply')
    .helpOption('--help', 'display help for command')
    .action(async (opts) => {
      reportMlflowOnlyFlags(opts);
      const config = parseServerConfig(opts);
      if (config.workers > 1 && cluster.isPrimary) {
        // Migrate once before forking so workers never race on the schema.
        const store = await openStore(config.backendStoreUri);
        await store.close();
        for (let i = 0; i < config.workers; i++) cluster.fork();
        let stopping = false;
        cluster.on('exit', (worker, code) => {
          if (code !== 0 && !stopping) console.error(`worker ${worker.process.pid} exited with ${code}`);
          if (stopping && Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
        });
        // Graceful stop: each worker finishes its in-flight requests, then the primary exits.
        const stopAll = (signal: NodeJS.Signals) => {
          if (stopping) return;
          stopping = true;
          for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
        };
        process.on('SIGTERM', () => stopAll('SIGTERM'));
        process.on('SIGINT', () => stopAll('SIGTERM'));
        console.log(`Trove listening on http://${config.host}:${config.port} with ${config.workers} workers`);
        return;
      }
      await serve(config);
    });
}

async function serve(config: ServerConfig): Promise<void> {
  const store = await openStore(config.backendStoreUri, config.database);
  const app = await createApp({ config, store });
  const address = await app.listen({ host: config.host, port: config.port });
  if (cluster.isPrimary) {
    console.log(
      `Trove listening on ${address} (store ${redactUri(config.backendStoreUri)}, artifacts ${config.artifactsDestination})`,
    );
    console.log(
      config.auth.enabled
        ? 'Authentication is on: clients sign in (MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN).'
        : 'Authentication is off: anyone who can reach this address can read and change everything. ' +
            'Turn it on with --app-name basic-auth.',
    );
  }
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    // Fastify's close waits for in-flight requests before resolving.
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** MLflow flags that mean nothing to Trove are accepted (deployment scripts pass them) and named once. */
function reportMlflowOnlyFlags(opts: Record<string, unknown>): void {
  const inert: [string, string][] = [
    ['gunicornOpts', '--gunicorn-opts'],
    ['waitressOpts', '--waitress-opts'],
    ['uvicornOpts', '--uvicorn-opts'],
    ['dev', '--dev'],
  ];
  for (const [key, flag] of inert) {
    if (opts[key] !== undefined)
      console.log(`${flag} does not apply to Trove (a Node.js server; use --workers for processes); ignored.`);
  }
  if (opts.exposePrometheus !== undefined)
    console.log('--expose-prometheus: Trove always serves Prometheus metrics at /metrics; the directory is not used.');
  if (opts.registryStoreUri !== undefined && opts.registryStoreUri !== opts.backendStoreUri) {
    throw new Error(
      '--registry-store-uri must equal --backend-store-uri: Trove keeps runs and the registry in one store.',
    );
  }
}

/** A URI safe to log: the password (if any) replaced. */
export function redactUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+):[^@/]*@/i, '$1:***@');
}
