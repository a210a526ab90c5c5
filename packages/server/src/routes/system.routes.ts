import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const INDEX_HTML = readFileSync(new URL('../static/index.html', import.meta.url), 'utf8');

/** MLflow's client parses /version (PEP 440) to decide which features to use. */
export const MLFLOW_COMPAT_VERSION = '3.6.0';

export function registerSystemRoutes(app: FastifyInstance): void {
  app.get('/health', async (_req, reply) => reply.type('text/plain').send('OK'));
  app.get('/version', async (_req, reply) => reply.type('text/plain').send(MLFLOW_COMPAT_VERSION));
  // A status page until the web UI lands (issue: Web UI).
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(INDEX_HTML));
}
