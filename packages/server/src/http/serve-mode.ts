import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config.ts';

const OUTSIDE_PREFIX = '/__outside-static-prefix';
const PROXY_PATH = /^(?:\/w\/[^/]+)?\/(?:ajax-)?api\/[0-9.]+\/mlflow-artifacts(?:\/|$)/;
const API_PATH = /^(?:\/w\/[^/]+)?\/(?:(?:ajax-)?api|graphql)(?:\/|$)/;

/**
 * `--no-serve-artifacts` and `--artifacts-only` as MLflow applies them: the switched-off half of
 * the API answers 503 with MLflow's wording (an error envelope, so clients read it as any other).
 */
export function installServeMode(
  app: FastifyInstance,
  config: Pick<ServerConfig, 'serveArtifacts' | 'artifactsOnly' | 'staticPrefix'>,
): void {
  if (config.staticPrefix !== '') {
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith(OUTSIDE_PREFIX))
        return reply
          .status(404)
          .type('application/json')
          .send({
            error_code: 'ENDPOINT_NOT_FOUND',
            message: `This server serves every route under ${config.staticPrefix}.`,
          });
    });
  }
  if (config.serveArtifacts && !config.artifactsOnly) return;
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    const isProxy = PROXY_PATH.test(path);
    let message: string | undefined;
    if (!config.serveArtifacts && isProxy) {
      message = `Endpoint: ${path} disabled due to the mlflow server running with \`--no-serve-artifacts\`. To enable artifacts server functionality, run \`mlflow server\` with \`--serve-artifacts\``;
    } else if (config.artifactsOnly && !isProxy && API_PATH.test(path)) {
      message = `Endpoint: ${path} disabled due to the mlflow server running in \`--artifacts-only\` mode. To enable tracking server functionality, run \`mlflow server\` without \`--artifacts-only\``;
    }
    if (message)
      return reply.status(503).type('application/json').send({ error_code: 'TEMPORARILY_UNAVAILABLE', message });
  });
}

/** `--static-prefix`: requests under the prefix are routed as if it were absent; others are 404. */
export function stripStaticPrefix(prefix: string): ((req: { url?: string }) => string) | undefined {
  if (prefix === '') return undefined;
  return (req) => {
    const url = req.url ?? '/';
    if (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`))
      return url.slice(prefix.length) || '/';
    return `${OUTSIDE_PREFIX}${url}`;
  };
}
