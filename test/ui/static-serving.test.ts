import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../packages/server/src/http/errors.ts';
import { registerSystemRoutes } from '../../packages/server/src/routes/system.routes.ts';

/** How `trove server` serves the built UI (or its fallback page), without a browser or a database. */
async function appWith(uiDir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  installErrorHandling(app);
  registerSystemRoutes(app, { uiDir });
  await app.ready();
  return app;
}

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'trove-ui-static-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('static UI serving', () => {
  let app: FastifyInstance;
  const js = `console.log(${JSON.stringify('x'.repeat(4000))});`;
  beforeAll(async () => {
    const dist = tempDir();
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Trove</title><div id="root"></div>');
    writeFileSync(join(dist, 'assets/index-abc123.js'), js);
    writeFileSync(join(dist, 'assets/index-abc123.js.br'), brotliCompressSync(js));
    writeFileSync(join(dist, 'assets/index-abc123.js.gz'), gzipSync(js));
    app = await appWith(dist);
  });
  afterAll(async () => app?.close());

  it('serves index.html at / and for every client route, uncached', async () => {
    for (const url of [
      '/',
      '/experiments',
      '/experiments/1/runs/abc?tab=charts',
      '/models/sklearn.iris',
      '/compare?runs=a&runs=b',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain('text/html');
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.body, url).toContain('<div id="root">');
    }
  });

  it('serves hashed assets cached forever, precompressed when the client accepts it', async () => {
    const br = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-type']).toContain('javascript');
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
  });

  it('never answers API, workspace or asset misses with the app: they keep the JSON 404', async () => {
    for (const url of [
      '/api/2.0/mlflow/unknown',
      '/ajax-api/2.0/mlflow/unknown',
      '/w/team-a/anything',
      '/assets/missing.js',
      '/favicon.ico',
      '/get-artifact/x',
      '/version/x',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error_code, url).toBe('ENDPOINT_NOT_FOUND');
    }
    const post = await app.inject({ method: 'POST', url: '/experiments' });
    expect(post.statusCode).toBe(404);
    expect((await app.inject({ url: '/health' })).body).toBe('OK');
  });
});

describe('without a UI build', () => {
  it('shows the status page at / and JSON 404 elsewhere', async () => {
    const app = await appWith(tempDir());
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Trove is running');
    expect(res.body).toContain('npm run build:ui');
    expect((await app.inject({ url: '/experiments' })).statusCode).toBe(404);
    await app.close();
  });
});
