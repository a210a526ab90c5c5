import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.ts';

// Replays, request by request, what the MLflow 3.6 Python client sends for common user code
// (reference §18), with its headers, and checks what the client reads from each answer.
let server: TestServer;
const HEADERS = { 'User-Agent': 'mlflow-python-client/3.6.0', 'X-MLflow-Client-Version': '3.6.0' };

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const init: RequestInit = { method, headers: { ...HEADERS } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  const res = await fetch(server.url + path, init);
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}
const api = (path: string) => `/api/2.0/mlflow${path}`;
const artifactsUrl = (p: string) => `/api/2.0/mlflow-artifacts/artifacts/${p}`;
/** `mlflow-artifacts:/P` → the proxy path the client computes. */
const resolve = (uri: string) => artifactsUrl(uri.replace(/^mlflow-artifacts:\/+/, ''));

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('MLflow Python client flows', () => {
  let expId: string;
  let runId: string;
  let artifactUri: string;

  it('mlflow.set_experiment("demo") creates it after a 404 RESOURCE_DOES_NOT_EXIST', async () => {
    const miss = await call('GET', api('/experiments/get-by-name?experiment_name=demo'));
    expect(miss.status).toBe(404);
    expect(miss.json.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expId = (await call('POST', api('/experiments/create'), { name: 'demo' })).json.experiment_id;
    const exp = (await call('GET', api(`/experiments/get?experiment_id=${expId}`))).json.experiment;
    expect(exp.lifecycle_stage).toBe('active');
  });

  it('mlflow.start_run() → runs/create with the context tags', async () => {
    const res = await call('POST', api('/runs/create'), {
      experiment_id: expId,
      user_id: 'alice',
      start_time: Date.now(),
      run_name: 'train',
      tags: [
        { key: 'mlflow.user', value: 'alice' },
        { key: 'mlflow.source.name', value: 'train.py' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
        { key: 'mlflow.source.git.commit', value: 'abc123' },
        { key: 'mlflow.runName', value: 'train' },
      ],
    });
    expect(res.status).toBe(200);
    runId = res.json.run.info.run_id;
    artifactUri = res.json.run.info.artifact_uri;
    expect(res.json.run.info.status).toBe('RUNNING');
    expect(res.json.run.info.lifecycle_stage).toBe('active');
  });

  it('log_param / log_metric / set_tag / log_metrics send both run_id and run_uuid', async () => {
    expect(
      (await call('POST', api('/runs/log-parameter'), { run_id: runId, run_uuid: runId, key: 'alpha', value: '0.5' }))
        .status,
    ).toBe(200);
    for (let step = 0; step < 3; step++) {
      expect(
        (
          await call('POST', api('/runs/log-metric'), {
            run_id: runId,
            run_uuid: runId,
            key: 'rmse',
            value: 1 / (step + 1),
            timestamp: Date.now(),
            step,
          })
        ).status,
      ).toBe(200);
    }
    expect(
      (await call('POST', api('/runs/set-tag'), { run_id: runId, run_uuid: runId, key: 'stage', value: 'dev' })).status,
    ).toBe(200);
    const batch = await call('POST', api('/runs/log-batch'), {
      run_id: runId,
      metrics: [{ key: 'r2', value: 0.8, timestamp: Date.now(), step: 0 }],
      params: [{ key: 'l1', value: '0.1' }],
      tags: [],
    });
    expect(batch.status).toBe(200);
    expect(batch.json).toEqual({});
  });

  it('log_artifact: runs/get, then a PUT of the file to the proxied artifact URI', async () => {
    const run = (await call('GET', api(`/runs/get?run_id=${runId}`))).json.run;
    expect(run.info.artifact_uri).toBe(artifactUri);
    const put = await fetch(server.url + resolve(`${artifactUri}/plots/loss.txt`), {
      method: 'PUT',
      body: 'loss curve',
      headers: { ...HEADERS, 'Content-Type': 'text/plain' },
    });
    expect(put.status).toBe(200);
    const listing = await call(
      'GET',
      `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`${artifactUri.replace('mlflow-artifacts:/', '')}/plots`)}`,
    );
    expect(listing.json.files).toEqual([{ path: 'loss.txt', is_dir: false, file_size: 10 }]);
  });

  it('mlflow.<flavor>.log_model(name="model") in MLflow 3', async () => {
    const created = await call('POST', api('/logged-models'), {
      experiment_id: expId,
      name: 'model',
      source_run_id: runId,
      params: [{ key: 'alpha', value: '0.5' }],
      tags: [{ key: 'mlflow.user', value: 'alice' }],
    });
    const model = created.json.model.info;
    expect(
      (await call('POST', api('/runs/outputs'), { run_id: runId, models: [{ model_id: model.model_id, step: 2 }] }))
        .status,
    ).toBe(200);
    const hist = await call(
      'GET',
      api(`/metrics/get-history?run_id=${runId}&run_uuid=${runId}&metric_key=rmse&max_results=25000`),
    );
    const atStep = hist.json.metrics.filter((m: { step: number }) => m.step === 2);
    await call('POST', api('/runs/log-batch'), {
      run_id: runId,
      metrics: atStep.map((m: object) => ({ ...m, model_id: model.model_id })),
    });
    expect((await call('GET', api(`/logged-models/${model.model_id}`))).json.model.info.status).toBe(
      'LOGGED_MODEL_PENDING',
    );
    for (const [file, body] of [
      ['MLmodel', 'artifact_path: model\nflavors:\n  python_function: {}\n'],
      ['model.pkl', 'pickle-bytes'],
    ]) {
      expect(
        (await fetch(server.url + resolve(`${model.artifact_uri}/${file}`), { method: 'PUT', body, headers: HEADERS }))
          .status,
      ).toBe(200);
    }
    const done = await call('PATCH', api(`/logged-models/${model.model_id}`), {
      model_id: model.model_id,
      status: 'LOGGED_MODEL_READY',
    });
    expect(done.json.model.info.status).toBe('LOGGED_MODEL_READY');
    expect(done.json.model.data.metrics.map((m: { key: string; step: number }) => [m.key, m.step])).toEqual([
      ['rmse', 2],
    ]);
  });

  it('mlflow.pyfunc.load_model("runs:/<run>/model") finds the logged model and downloads it', async () => {
    const run = (await call('GET', api(`/runs/get?run_id=${runId}`))).json.run;
    const direct = await call(
      'GET',
      `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`${run.info.artifact_uri.replace('mlflow-artifacts:/', '')}/model`)}`,
    );
    expect(direct.json.files).toBeUndefined(); // not under the run: the client falls back to logged models
    const found = await call('POST', api('/logged-models/search'), {
      experiment_ids: [run.info.experiment_id],
      filter: "name = 'model'",
    });
    const model = found.json.models.find(
      (m: { info: { source_run_id: string } }) => m.info.source_run_id === runId,
    ).info;
    const root = model.artifact_uri.replace('mlflow-artifacts:/', '');
    const files = (
      await call('GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(root)}`)
    ).json.files.map((f: { path: string }) => f.path);
    expect(files).toEqual(['MLmodel', 'model.pkl']);
    const mlmodel = await (await fetch(server.url + artifactsUrl(`${root}/MLmodel`), { headers: HEADERS })).text();
    expect(mlmodel).toContain('python_function');
  });

  it('mlflow.end_run() → runs/get then runs/update FINISHED; resume sends RUNNING with the old end_time', async () => {
    await call('GET', api(`/runs/get?run_id=${runId}`));
    const end = Date.now();
    const ended = await call('POST', api('/runs/update'), {
      run_id: runId,
      run_uuid: runId,
      status: 'FINISHED',
      end_time: end,
    });
    expect(ended.json.run_info).toMatchObject({ status: 'FINISHED', end_time: end });
    const resumed = await call('POST', api('/runs/update'), {
      run_id: runId,
      run_uuid: runId,
      status: 'RUNNING',
      end_time: end,
    });
    expect(resumed.json.run_info.status).toBe('RUNNING');
  });

  it('mlflow.search_runs pages of 10000 and MlflowClient().get_metric_history', async () => {
    const res = await call('POST', api('/runs/search'), {
      experiment_ids: [expId],
      filter: "metrics.rmse < 1 and params.alpha = '0.5'",
      run_view_type: 'ACTIVE_ONLY',
      max_results: 10000,
      order_by: ['metrics.rmse ASC'],
    });
    expect(res.json.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);
    expect(res.json.next_page_token).toBeUndefined();
    const hist = await call(
      'GET',
      api(`/metrics/get-history?run_id=${runId}&run_uuid=${runId}&metric_key=rmse&max_results=25000`),
    );
    expect(hist.json.metrics.map((m: { step: number }) => m.step)).toEqual([0, 1, 2]);
  });

  it('MlflowClient().search_experiments() and a GetLatestVersions-style ENDPOINT_NOT_FOUND fallback', async () => {
    const res = await call('POST', api('/experiments/search'), { max_results: 1000, view_type: 'ACTIVE_ONLY' });
    expect(res.json.experiments.map((e: { name: string }) => e.name)).toEqual(['demo', 'Default']);
    // A route Trove does not serve (MLflow 3's scorers) answers as MLflow's server does for one it lacks.
    const missing = await call('POST', '/api/3.0/mlflow/scorers/register', { experiment_id: '0', name: 's' });
    expect(missing.status).toBe(404);
    expect(missing.json.error_code).toBe('ENDPOINT_NOT_FOUND');
  });
});

describe('MLflow Python client registry flows', () => {
  let runId: string;
  let modelId: string;

  beforeAll(async () => {
    runId = (await call('POST', api('/runs/create'), { experiment_id: '0', start_time: Date.now() })).json.run.info
      .run_id;
    modelId = (await call('POST', api('/logged-models'), { experiment_id: '0', name: 'model', source_run_id: runId }))
      .json.model.info.model_id;
  });

  it('mlflow.register_model("models:/m-…", "M") tolerates an existing model and adds versions', async () => {
    for (let i = 1; i <= 2; i++) {
      const created = await call('POST', api('/registered-models/create'), { name: 'M' });
      expect(created.status).toBe(i === 1 ? 200 : 400);
      if (i === 2) expect(created.json.error_code).toBe('RESOURCE_ALREADY_EXISTS');
      const mv = await call('POST', api('/model-versions/create'), {
        name: 'M',
        source: `models:/${modelId}`,
        run_id: runId,
        model_id: modelId,
      });
      expect(mv.json.model_version).toMatchObject({ version: String(i), status: 'READY' });
      expect((await call('GET', api(`/model-versions/get?name=M&version=${i}`))).json.model_version.status).toBe(
        'READY',
      );
    }
  });

  it('load_model("models:/M/1"), ("models:/M@champion"), ("models:/M/Production"), ("models:/M/latest")', async () => {
    const loggedUri = (await call('GET', api(`/logged-models/${modelId}`))).json.model.info.artifact_uri;
    expect((await call('GET', api('/model-versions/get-download-uri?name=M&version=1'))).json.artifact_uri).toBe(
      loggedUri,
    );
    await call('POST', api('/registered-models/alias'), { name: 'M', alias: 'champion', version: '2' });
    const byAlias = (await call('GET', api('/registered-models/alias?name=M&alias=champion'))).json.model_version;
    expect(byAlias.version).toBe('2');
    await call('POST', api('/model-versions/transition-stage'), {
      name: 'M',
      version: '1',
      stage: 'Production',
      archive_existing_versions: false,
    });
    const prod = await call('POST', api('/registered-models/get-latest-versions'), {
      name: 'M',
      stages: ['Production'],
    });
    expect(prod.json.model_versions.map((v: { version: string }) => v.version)).toEqual(['1']);
    const latest = await call('POST', api('/registered-models/get-latest-versions'), { name: 'M' });
    expect(Math.max(...latest.json.model_versions.map((v: { version: string }) => Number(v.version)))).toBe(2);
  });

  it('MlflowClient().search_model_versions("name=\'M\'") over GET', async () => {
    const res = await call(
      'GET',
      api(`/model-versions/search?filter=${encodeURIComponent("name='M'")}&max_results=10000`),
    );
    // Default order is last_updated_timestamp DESC: version 1 moved to Production last.
    expect(res.json.model_versions.map((v: { version: string }) => v.version)).toEqual(['1', '2']);
  });
});
