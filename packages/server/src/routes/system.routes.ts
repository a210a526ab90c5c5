import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** MLflow's client parses /version (PEP 440) to decide which features to use. */
export const MLFLOW_COMPAT_VERSION = '3.6.0';

/**
 * This package's folder, found from the running module: `src/routes/` when run from source,
 * `dist/` when run from the CLI bundle.
 */
function serverPackageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (
    !existsSync(join(dir, 'package.json')) ||
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== '@trove/server'
  ) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the @trove/server package folder');
    dir = up;
  }
  return dir;
}

/** Where `packages/ui` builds the web UI (`npm install` and `npm start` build it when stale). */
export const uiDistDir = () => join(serverPackageDir(), '../ui/dist/');

/**
 * Paths that never fall back to the UI's index.html: APIs, workspaces and probes keep the JSON
 * 404 for unknown routes, and a missing asset stays a 404 rather than HTML served as a script.
 */
const NOT_UI = /^\/(api|ajax-api|w|health|version|metrics|get-artifact|model-versions|assets)(\/|$)/;

/** A request for a file the build does not have (model names may hold dots, so only these). */
const STATIC_FILE = /\.(js|mjs|css|map|ico|png|svg|woff2?|txt|webmanifest)$/;

export interface SystemRouteOptions {
  /** The built UI (a folder holding index.html); defaults to `packages/ui/dist`. */
  uiDir?: string;
}

export function registerSystemRoutes(app: FastifyInstance, options: SystemRouteOptions = {}): void {
  app.get('/health', async (_req, reply) => reply.type('text/plain').send('OK'));
  app.get('/version', async (_req, reply) => reply.type('text/plain').send(MLFLOW_COMPAT_VERSION));
  const uiDir = options.uiDir ?? uiDistDir();
  const uiIndex = join(uiDir, 'index.html');
  if (!existsSync(uiIndex)) {
    // No UI build (installed with --ignore-scripts, or vite missing): a status page instead.
    const fallback = readFileSync(join(serverPackageDir(), 'src/static/index.html'), 'utf8');
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(fallback));
    return;
  }
  registerUi(app, uiDir, readFileSync(uiIndex, 'utf8'));
}

/** The built single-page app: hashed assets cached forever, index.html for every client route. */
function registerUi(app: FastifyInstance, uiDir: string, indexHtml: string): void {
  app.register(fastifyStatic, {
    root: uiDir,
    // One route per built file, registered at start: no catch-all that would shadow API 404s.
    wildcard: false,
    index: false,
    decorateReply: false,
    preCompressed: true,
    globIgnore: ['**/*.gz', '**/*.br', 'index.html'],
    cacheControl: false,
    setHeaders(reply, path) {
      reply.header('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendIndex = (reply: FastifyReply) =>
    reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
  app.get('/', async (_req, reply) => sendIndex(reply));
  app.get('/*', async (req, reply) => {
    const path = req.url.split('?')[0];
    if (NOT_UI.test(path) || STATIC_FILE.test(path)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
