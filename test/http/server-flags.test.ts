import { describe, expect, it } from 'vitest';
import { startServer } from '../support/server.ts';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

describe('mlflow server flags', () => {
  it("--no-serve-artifacts switches the artifact proxy off with MLflow's 503, tracking stays up", async () => {
    const server = await startServer({ config: { serveArtifacts: false } });
    try {
      const res = await server.call('GET', `${PROXY}?path=`);
      expect([res.status, res.body.error_code]).toEqual([503, 'TEMPORARILY_UNAVAILABLE']);
      expect(res.body.message).toContain('--no-serve-artifacts');
      expect((await server.call('GET', '/api/2.0/mlflow/experiments/get?experiment_id=0')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('--artifacts-only serves the proxy and refuses tracking and registry with 503', async () => {
    const server = await startServer({ config: { artifactsOnly: true } });
    try {
      expect((await server.call('PUT', `${PROXY}/x/a.txt`, 'hello', { 'content-type': 'text/plain' })).status).toBe(
        200,
      );
      for (const path of [
        '/api/2.0/mlflow/experiments/get?experiment_id=0',
        '/ajax-api/2.0/mlflow/registered-models/search',
        '/api/trove/v1/workspaces',
      ]) {
        const res = await server.call('GET', path);
        expect([res.status, res.body.error_code], path).toEqual([503, 'TEMPORARILY_UNAVAILABLE']);
        expect(res.body.message).toContain('--artifacts-only');
      }
      expect((await server.call('GET', '/health')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('--static-prefix serves every route under the prefix only', async () => {
    const server = await startServer({ config: { staticPrefix: '/mlflow' } });
    try {
      expect(
        (await server.call('GET', '/mlflow/api/2.0/mlflow/experiments/get?experiment_id=0')).body.experiment.name,
      ).toBe('Default');
      expect((await server.call('GET', '/mlflow/health')).status).toBe(200);
      expect((await server.call('GET', '/api/2.0/mlflow/experiments/get?experiment_id=0')).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('refuses contradictory or malformed flags at start', async () => {
    await expect(startServer({ config: { artifactsOnly: true, serveArtifacts: false } })).rejects.toThrow(
      /--artifacts-only/,
    );
    await expect(startServer({ config: { staticPrefix: 'no-slash' } })).rejects.toThrow(/--static-prefix/);
  });
});
