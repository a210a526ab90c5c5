import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportReport } from '@trove/protocol';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchiveSource } from '../../packages/cli/src/import/archive-source.ts';
import { writeArchive } from '../../packages/cli/src/import/archive-writer.ts';
import { openMlflowDbSource } from '../../packages/cli/src/import/mlflow-db-source.ts';
import {
  HttpError,
  httpTransport,
  openMlflowRestSource,
  restSource,
} from '../../packages/cli/src/import/mlflow-rest-source.ts';
import { FIXTURE_ARTIFACTS, FIXTURE_DIR, type ImportTarget, newImportTarget } from '../support/mlflow-fixture.ts';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

/**
 * MLflow 3 logged models over REST. No MLflow 3 server runs here (the harness has 2.17.2), so the
 * source is a Trove server populated through MLflow's REST API with the calls MLflow 3's client makes
 * for `log_model` and `register_model("models:/m-…")`.
 */
let source: TestServer;
let target: ImportTarget;
let copy: TestServer;
let first: ImportReport;
let runId: string;
let modelId: string;
const weights = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));

async function putArtifact(server: TestServer, artifactUri: string, path: string, body: Buffer | string) {
  const key = artifactUri.replace(/^mlflow-artifacts:\//, '');
  const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${key}/${path}`, {
    method: 'PUT',
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  source = await startServer();
  const api = mlflow(source);
  const exp = await api.createExperiment('genai');
  runId = await api.createRun(exp);
  const { model } = await api.ok('POST', '/logged-models', {
    experiment_id: exp,
    name: 'model',
    model_type: 'agent',
    source_run_id: runId,
    params: [{ key: 'alpha', value: '0.5' }],
    tags: [{ key: 'flavor', value: 'pyfunc' }],
  });
  modelId = model.info.model_id;
  await api.ok('POST', `/logged-models/${modelId}/params`, { params: [{ key: 'beta', value: '2' }] });
  await api.ok('POST', '/runs/outputs', { run_id: runId, models: [{ model_id: modelId, step: 3 }] });
  await api.ok('POST', '/runs/log-batch', {
    run_id: runId,
    metrics: [
      { key: 'acc', value: 0.9, timestamp: 1000, step: 3, model_id: modelId },
      { key: 'acc', value: 0.95, timestamp: 2000, step: 4, model_id: modelId },
      { key: 'loss', value: 'NaN', timestamp: 2000, step: 4, model_id: modelId },
      { key: 'lr', value: 0.1, timestamp: 2000, step: 4 },
    ],
  });
  await putArtifact(source, model.info.artifact_uri, 'MLmodel', 'flavors:\n  python_function: {}\n');
  await putArtifact(source, model.info.artifact_uri, 'data/weights.bin', weights);
  await api.ok('PATCH', `/logged-models/${modelId}`, { model_id: modelId, status: 'LOGGED_MODEL_READY' });
  // A second model with neither artifacts nor metrics, still pending.
  await api.ok('POST', '/logged-models', { experiment_id: exp, name: 'draft' });
  await api.ok('POST', '/registered-models/create', { name: 'agent' });
  await api.ok('POST', '/model-versions/create', { name: 'agent', source: `models:/${modelId}`, model_id: modelId });

  target = await newImportTarget();
  first = await target.run(await openMlflowRestSource(source.url));
  copy = await startServer({ config: { backendStoreUri: target.uri, artifactsDestination: target.artifacts } });
});

afterAll(async () => {
  await copy?.close();
  await target?.release();
  await source?.close();
});

describe('import of MLflow 3 logged models over REST', () => {
  it('counts and verifies logged models, their data and artifacts', () => {
    expect(first.ok).toBe(true);
    expect(first.target_counts).toEqual(first.source_counts);
    expect(first.source_counts).toMatchObject({
      runs: 1,
      loggedModels: 2,
      loggedModelParams: 2,
      loggedModelTags: 2, // flavor, and mlflow.modelVersions set by the registration
      loggedModelMetrics: 3,
      modelEdges: 1,
      artifacts: 2,
      artifactBytes: weights.length + 'flavors:\n  python_function: {}\n'.length,
      versions: 1,
    });
    expect(first.checksummed).toBe(2);
    expect(first.importedLoggedModels).toBe(2);
  });

  it('keeps the model id, its data, the run output and the version registered from models:/m-…', async () => {
    const before = (await mlflow(source).ok('GET', `/logged-models/${modelId}`)).model;
    const after = (await mlflow(copy).ok('GET', `/logged-models/${modelId}`)).model;
    expect(after).toEqual(before);
    const run = (await mlflow(copy).ok('GET', `/runs/get?run_id=${runId}`)).run;
    expect(run.outputs.model_outputs).toEqual([{ model_id: modelId, step: 3 }]);
    const version = (await mlflow(copy).ok('GET', '/model-versions/get?name=agent&version=1')).model_version;
    expect(version.model_id).toBe(modelId);
    expect(version.source).toBe(`models:/${modelId}`);
    const res = await fetch(
      `${copy.url}/ajax-api/2.0/mlflow/logged-models/${modelId}/artifacts/files?artifact_file_path=data/weights.bin`,
    );
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(weights)).toBe(true);
  });

  it('changes nothing when run again', async () => {
    const again = await target.run(await openMlflowRestSource(source.url));
    expect(again.ok).toBe(true);
    expect(again.importedLoggedModels).toBe(0);
    expect(again.skippedLoggedModels).toBe(2);
    expect(again.target_counts).toEqual(first.target_counts);
  });

  it('an import interrupted inside a logged model resumes from its checkpoint', async () => {
    const t = await newImportTarget();
    try {
      const hooks = {
        afterLoggedModelData(id: string) {
          if (id === modelId) throw new Error('interrupted');
        },
      };
      await expect(t.run(await openMlflowRestSource(source.url), { hooks })).rejects.toThrow('interrupted');
      const resumed = await t.run(await openMlflowRestSource(source.url));
      expect(resumed.ok).toBe(true);
      expect(resumed.importedLoggedModels).toBe(1);
      expect(resumed.skippedLoggedModels).toBe(1);
      expect(resumed.target_counts).toEqual(first.target_counts);
    } finally {
      await t.release();
    }
  });

  it('an archive exported from that server carries the logged models and imports with the same counts', async () => {
    const t = await newImportTarget();
    try {
      const file = join(t.artifacts, '..', 'export.tar.gz');
      const from = await openMlflowRestSource(source.url);
      const written = await writeArchive(from, file).finally(() => from.close());
      expect(written).toEqual(first.source_counts);
      const report = await t.run(await openArchiveSource(file));
      expect(report.ok).toBe(true);
      expect(report.target_counts).toEqual(first.target_counts);
    } finally {
      await t.release();
    }
  });

  it('a server without the logged-models API (MLflow 2.x) imports the rest', async () => {
    const http = httpTransport(source.url);
    const asMlflow2 = {
      ...http,
      async json(method: 'GET' | 'POST', path: string, body?: unknown) {
        if (path.includes('/logged-models'))
          throw new HttpError(`${method} ${path}: HTTP 404`, 404, '{"error_code":"ENDPOINT_NOT_FOUND"}');
        return http.json(method, path, body);
      },
    };
    const t = await newImportTarget();
    try {
      const report = await t.run(await restSource(asMlflow2, 'MLflow 2.x'));
      expect(report.ok).toBe(true);
      expect(report.source_counts.loggedModels).toBe(0);
      expect(report.source_counts.runs).toBe(1);
    } finally {
      await t.release();
    }
  });
});

describe('an MLflow 3 database (--from-db)', () => {
  it('is refused with its alembic revision: its logged-model tables are not read by guess', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trove-mlflow3-db-'));
    try {
      const file = join(dir, 'mlflow.db');
      copyFileSync(join(FIXTURE_DIR, 'mlflow.db'), file);
      const db = new BetterSqlite3(file);
      db.exec(
        "CREATE TABLE logged_models (model_id TEXT PRIMARY KEY); UPDATE alembic_version SET version_num = 'a1b2c3d4e5f6'",
      );
      db.close();
      await expect(openMlflowDbSource(`sqlite:///${file}`, FIXTURE_ARTIFACTS)).rejects.toThrow(
        /MLflow 3 database \(alembic revision a1b2c3d4e5f6, with a logged_models table\).*--from http/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
