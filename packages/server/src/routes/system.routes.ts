import type { FastifyInstance } from 'fastify';

/** MLflow's client parses /version (PEP 440) to decide which features to use. */
export const MLFLOW_COMPAT_VERSION = '3.6.0';

export function registerSystemRoutes(app: FastifyInstance): void {
  app.get('/health', async (_req, reply) => reply.type('text/plain').send('OK'));
  app.get('/version', async (_req, reply) => reply.type('text/plain').send(MLFLOW_COMPAT_VERSION));
}
