import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

const AJAX = '/ajax-api/2.0/mlflow';

describe('local file:// artifact roots (mlflow server --default-artifact-root file:///...)', () => {
  let server: TestServer;
  let root: string;
  let elsewhere: string;
  let api: ReturnType<typeof mlflow>;
  let exp: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'trove-local-root-'));
    elsewhere = mkdtempSync(join(tmpdir(), 'trove-elsewhere-'));
    server = await startServer({ config: { defaultArtifactRoot: `file://${root}`, serveArtifacts: false } });
    api = mlflow(server);
    exp = await api.createExperiment('local');
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('records file:// locations for experiments and runs', async () => {
    expect((await api.ok('GET', `/experiments/get?experiment_id=${exp}`)).experiment.artifact_location).toBe(
      `file://${root}/${exp}`,
    );
    const runId = await api.createRun(exp);
    expect((await api.ok('GET', `/runs/get?run_id=${runId}`)).run.info.artifact_uri).toBe(
      `file://${root}/${exp}/${runId}/artifacts`,
    );
  });

  it("upload-artifact writes into the run's local directory; list and get-artifact read it back", async () => {
    const runId = await api.createRun(exp);
    const up = await fetch(`${server.url}${AJAX}/upload-artifact?run_uuid=${runId}&path=notes/hello.txt`, {
      method: 'POST',
      body: 'hello world',
    });
    expect(up.status).toBe(200);
    expect(readFileSync(join(root, exp, runId, 'artifacts', 'notes', 'hello.txt'), 'utf8')).toBe('hello world');
    expect((await api.ok('GET', `/artifacts/list?run_id=${runId}&path=notes`)).files).toEqual([
      { path: 'notes/hello.txt', is_dir: false, file_size: 11 },
    ]);
    expect(await (await fetch(`${server.url}/get-artifact?run_uuid=${runId}&path=notes/hello.txt`)).text()).toBe(
      'hello world',
    );
  });

  it("upload-artifact refuses bad requests in MLflow's words, with INVALID_PARAMETER_VALUE", async () => {
    const runId = await api.createRun(exp);
    const post = async (query: string, body?: string) => {
      const res = await fetch(`${server.url}${AJAX}/upload-artifact${query}`, { method: 'POST', body });
      return [res.status, ...Object.values((await res.json()) as Record<string, string>)];
    };
    expect(await post('')).toEqual([400, 'INVALID_PARAMETER_VALUE', 'Request must specify run_uuid.']);
    expect(await post(`?run_uuid=${runId}`)).toEqual([400, 'INVALID_PARAMETER_VALUE', 'Request must specify path.']);
    expect(await post(`?run_uuid=${runId}&path=`)).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
      'Request must specify path.',
    ]);
    expect(await post(`?run_uuid=${runId}&path=../test.txt`, 'x')).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
      'Invalid path',
    ]);
    expect(await post(`?run_uuid=${runId}&path=test.txt`)).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
      'Request must specify data.',
    ]);
  });

  it('records a local location outside the served roots but neither reads nor writes there', async () => {
    const other = (await api.ok('POST', '/experiments/create', { name: 'elsewhere', artifact_location: elsewhere }))
      .experiment_id;
    const runId = await api.createRun(other);
    const list = await api.get('/artifacts/list', { run_id: runId });
    expect([list.status, list.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    const up = await fetch(`${server.url}${AJAX}/upload-artifact?run_uuid=${runId}&path=x.txt`, {
      method: 'POST',
      body: 'x',
    });
    expect(up.status).toBe(403);
    expect(existsSync(join(elsewhere, runId))).toBe(false);
  });

  it("accepts a local model source inside the run's artifact directory and refuses one outside", async () => {
    const runId = await api.createRun(exp);
    await api.ok('POST', '/registered-models/create', { name: 'local-model' });
    const dir = `file://${root}/${exp}/${runId}/artifacts`;
    for (const source of [
      dir,
      `${dir}/model`,
      `${dir}/.`,
      `${dir}/model/..`,
      `${root}/${exp}/${runId}/artifacts/model`,
    ]) {
      const res = await api.post('/model-versions/create', { name: 'local-model', source, run_id: runId });
      expect(res.status, source).toBe(200);
    }
    for (const [source, runIdField] of [
      [dir, undefined],
      ['file:///tmp', runId],
      [`${dir}/../..`, runId],
    ] as const) {
      const res = await api.post('/model-versions/create', { name: 'local-model', source, run_id: runIdField });
      expect([res.status, res.body.error_code], source).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(res.body.message).toContain('To use a local path as a model version source');
    }
  });
});
