import { randomBytes } from 'node:crypto';
import { LIMITS } from '@trove/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let exp: string;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  exp = await api.createExperiment('runs');
});
afterAll(() => server.close());

const tagsOf = (run: { data: { tags?: { key: string; value: string }[] } }) =>
  Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));

describe('runs', () => {
  it('creates a run the way the Python client does', async () => {
    const res = await api.post('/runs/create', {
      experiment_id: exp,
      user_id: 'alice',
      start_time: 1700000000000,
      run_name: 'first',
      tags: [
        { key: 'mlflow.user', value: 'alice' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
      ],
    });
    expect(res.status).toBe(200);
    const { info } = res.body.run;
    expect(info).toMatchObject({
      run_name: 'first',
      experiment_id: exp,
      user_id: 'alice',
      status: 'RUNNING',
      start_time: 1700000000000,
      lifecycle_stage: 'active',
    });
    expect(info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(info.run_uuid).toBe(info.run_id);
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/${exp}/${info.run_id}/artifacts`);
    expect(info.end_time).toBeUndefined();
    expect(tagsOf(res.body.run)).toMatchObject({ 'mlflow.runName': 'first', 'mlflow.user': 'alice' });
  });

  it('generates a name, or takes it from the mlflow.runName tag, and rejects a conflict', async () => {
    const generated = (await api.ok('POST', '/runs/create', { experiment_id: exp })).run;
    expect(generated.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(tagsOf(generated)['mlflow.runName']).toBe(generated.info.run_name);
    const fromTag = (
      await api.ok('POST', '/runs/create', { experiment_id: exp, tags: [{ key: 'mlflow.runName', value: 'tagged' }] })
    ).run;
    expect(fromTag.info.run_name).toBe('tagged');
    const conflict = await api.post('/runs/create', {
      experiment_id: exp,
      run_name: 'a',
      tags: [{ key: 'mlflow.runName', value: 'b' }],
    });
    expect(conflict.status).toBe(400);
  });

  it('defaults to experiment 0 and rejects unknown experiments', async () => {
    expect((await api.ok('POST', '/runs/create', {})).run.info.experiment_id).toBe('0');
    expect((await api.post('/runs/create', { experiment_id: '424242' })).status).toBe(404);
  });

  it('updates status, end time and name; keeps the runName tag in sync', async () => {
    const id = await api.createRun(exp);
    const res = await api.ok('POST', '/runs/update', {
      run_id: id,
      run_uuid: id,
      status: 'FINISHED',
      end_time: 1700000009999,
      run_name: 'renamed',
    });
    expect(res.run_info).toMatchObject({ status: 'FINISHED', end_time: 1700000009999, run_name: 'renamed' });
    const run = (await api.ok('GET', `/runs/get?run_id=${id}`)).run;
    expect(tagsOf(run)['mlflow.runName']).toBe('renamed');
    await api.ok('POST', '/runs/set-tag', { run_id: id, key: 'mlflow.runName', value: 'via-tag' });
    expect((await api.ok('GET', `/runs/get?run_uuid=${id}`)).run.info.run_name).toBe('via-tag');
    expect((await api.post('/runs/update', { run_id: id, status: 'DONE' })).status).toBe(400);
    expect((await api.post('/runs/update', { run_id: 'f'.repeat(32), status: 'FAILED' })).status).toBe(404);
  });

  it('logs params write-once, tags upsert, delete-tag 404s on missing', async () => {
    const id = await api.createRun(exp);
    await api.ok('POST', '/runs/log-parameter', { run_id: id, key: 'lr', value: '0.01' });
    await api.ok('POST', '/runs/log-parameter', { run_id: id, key: 'lr', value: '0.01' });
    const change = await api.post('/runs/log-parameter', { run_id: id, key: 'lr', value: '0.02' });
    expect(change.status).toBe(400);
    expect(change.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    await api.ok('POST', '/runs/set-tag', { run_id: id, key: 'stage', value: 'a' });
    await api.ok('POST', '/runs/set-tag', { run_id: id, key: 'stage', value: 'b' });
    const run = (await api.ok('GET', `/runs/get?run_id=${id}`)).run;
    expect(run.data.params).toEqual([{ key: 'lr', value: '0.01' }]);
    expect(tagsOf(run).stage).toBe('b');
    await api.ok('POST', '/runs/delete-tag', { run_id: id, key: 'stage' });
    const again = await api.post('/runs/delete-tag', { run_id: id, key: 'stage' });
    expect(again.status).toBe(404);
    expect(again.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('stores long values intact up to 1 MiB, where MLflow truncates (6000 / 8000), and rejects beyond it', async () => {
    const id = await api.createRun(exp);
    // Incompressible text: a PostgreSQL index entry holding it whole would not fit in a page.
    const noise = (n: number) =>
      randomBytes(Math.ceil(n / 2))
        .toString('hex')
        .slice(0, n);
    const pMax = noise(LIMITS.paramValueLength);
    await api.ok('POST', '/runs/log-parameter', { run_id: id, key: 'long', value: pMax });
    const tMax = noise(LIMITS.runTagValueLength);
    await api.ok('POST', '/runs/set-tag', { run_id: id, key: 'long', value: tMax });
    const p7000 = noise(7000);
    await api.ok('POST', '/runs/log-batch', {
      run_id: id,
      params: [{ key: 'mid', value: p7000 }],
      tags: [{ key: 'mid', value: noise(9000) }],
    });
    const run = (await api.ok('GET', `/runs/get?run_id=${id}`)).run;
    expect(run.data.params.find((p: { key: string }) => p.key === 'long').value).toBe(pMax);
    expect(run.data.params.find((p: { key: string }) => p.key === 'mid').value).toBe(p7000);
    expect(tagsOf(run).long).toBe(tMax);
    // Long values are searchable and sortable like any other.
    const other = await api.createRun(exp);
    await api.ok('POST', '/runs/log-parameter', { run_id: other, key: 'mid', value: `${p7000.slice(0, 300)}~` });
    const found = await api.ok('POST', '/runs/search', { experiment_ids: [exp], filter: `params.mid = '${p7000}'` });
    expect(found.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([id]);
    const sorted = await api.ok('POST', '/runs/search', {
      experiment_ids: [exp],
      filter: "params.mid LIKE '%'",
      order_by: ['params.mid DESC'],
    });
    expect(sorted.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual(
      `${p7000.slice(0, 300)}~` > p7000 ? [other, id] : [id, other],
    );
    const tooLong = await api.post('/runs/log-parameter', {
      run_id: id,
      key: 'longer',
      value: 'p'.repeat(LIMITS.paramValueLength + 1),
    });
    expect([tooLong.status, tooLong.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(tooLong.body.message).toContain(String(LIMITS.paramValueLength));
    expect(
      (await api.post('/runs/set-tag', { run_id: id, key: 'longer', value: 't'.repeat(LIMITS.runTagValueLength + 1) }))
        .status,
    ).toBe(400);
    expect((await api.post('/runs/set-tag', { run_id: id, key: 'k'.repeat(251), value: 'v' })).status).toBe(400);
    const after = (await api.ok('GET', `/runs/get?run_id=${id}`)).run;
    expect(after.data.params).toHaveLength(2);
  });

  it('logs metrics; latest is the greatest (step, timestamp, value); NaN and Infinity round-trip', async () => {
    const id = await api.createRun(exp);
    await api.ok('POST', '/runs/log-metric', { run_id: id, key: 'loss', value: 0.5, timestamp: 10, step: 2 });
    await api.ok('POST', '/runs/log-metric', { run_id: id, key: 'loss', value: 0.9, timestamp: 20, step: 1 });
    await api.ok('POST', '/runs/log-metric', { run_id: id, key: 'odd', value: 'NaN', timestamp: 5 });
    await api.ok('POST', '/runs/log-metric', { run_id: id, key: 'big', value: 'Infinity', timestamp: 5 });
    const metrics = Object.fromEntries(
      (await api.ok('GET', `/runs/get?run_id=${id}`)).run.data.metrics.map((m: { key: string }) => [m.key, m]),
    );
    expect(metrics.loss).toMatchObject({ value: 0.5, step: 2, timestamp: 10 });
    expect(metrics.odd.value).toBe('NaN');
    expect(metrics.big.value).toBe(1.7976931348623157e308);
    for (const bad of [
      { value: true },
      { value: 'abc' },
      { value: 1, timestamp: -1 },
      { value: 1, step: 1.5 },
      { value: 1, timestamp: 'x' },
    ]) {
      const res = await api.post('/runs/log-metric', { run_id: id, key: 'm', timestamp: 1, ...bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await api.post('/runs/log-metric', { run_id: id, key: 'm', timestamp: 1 })).status).toBe(400);
  });

  it('keeps int64 steps and timestamps beyond 2^53 exactly', async () => {
    const id = await api.createRun(exp);
    const body = `{"run_id":"${id}","key":"huge","value":1,"timestamp":9007199254740993,"step":9223372036854775807}`;
    expect((await server.call('POST', `${api.base}/runs/log-metric`, body)).status).toBe(200);
    const res = await fetch(`${server.url}${api.base}/metrics/get-history?run_id=${id}&metric_key=huge`);
    const text = await res.text();
    expect(text).toContain('"timestamp":9007199254740993');
    expect(text).toContain('"step":9223372036854775807');
    const run = await (await fetch(`${server.url}${api.base}/runs/get?run_id=${id}`)).text();
    expect(run).toContain('"timestamp":9007199254740993,"step":9223372036854775807');
  });

  it('log-batch applies params, metrics and tags and enforces MLflow limits', async () => {
    const id = await api.createRun(exp);
    const metrics = Array.from({ length: 1000 }, (_, i) => ({
      key: `m${i % 10}`,
      value: i,
      timestamp: 1000 + i,
      step: i,
    }));
    await api.ok('POST', '/runs/log-batch', { run_id: id, metrics });
    await api.ok('POST', '/runs/log-batch', {
      run_id: id,
      params: [{ key: 'a', value: '1' }],
      tags: [{ key: 't', value: 'x' }],
    });
    const run = (await api.ok('GET', `/runs/get?run_id=${id}`)).run;
    expect(run.data.metrics).toHaveLength(10);
    expect(run.data.metrics.find((m: { key: string }) => m.key === 'm9')).toMatchObject({ value: 999, step: 999 });
    const tooMany = await api.post('/runs/log-batch', { run_id: id, metrics: [...metrics, metrics[0]] });
    expect(tooMany.status).toBe(400);
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
    expect((await api.post('/runs/log-batch', { run_id: id, params })).status).toBe(400);
    const dup = await api.post('/runs/log-batch', {
      run_id: id,
      params: [
        { key: 'd', value: '1' },
        { key: 'd', value: '2' },
      ],
    });
    expect(dup.status).toBe(400);
    const missingTs = await api.post('/runs/log-batch', { run_id: id, metrics: [{ key: 'x', value: 1 }] });
    expect(missingTs.status).toBe(400);
    expect(missingTs.body.message).toContain('metrics[0].timestamp');
    expect((await api.post('/runs/log-batch', { run_id: 'bad id!', metrics: [] })).status).toBe(400);
    expect((await api.post('/runs/log-batch', { run_id: id, metrics: 'nope' })).status).toBe(400);
  });

  it('a conflicting param rejects the whole batch: nothing from it is stored', async () => {
    const id = await api.createRun(exp);
    await api.ok('POST', '/runs/log-parameter', { run_id: id, key: 'fixed', value: '1' });
    const res = await api.post('/runs/log-batch', {
      run_id: id,
      params: [{ key: 'fixed', value: '2' }],
      metrics: [{ key: 'x', value: 1, timestamp: 1 }],
      tags: [{ key: 't', value: 'v' }],
    });
    expect(res.status).toBe(400);
    const run = (await api.ok('GET', `/runs/get?run_id=${id}`)).run;
    expect(run.data.metrics).toBeUndefined();
    expect(tagsOf(run).t).toBeUndefined();
  });

  it('drops exact duplicate metric points', async () => {
    const id = await api.createRun(exp);
    const m = { key: 'dup', value: 1, timestamp: 5, step: 1 };
    await api.ok('POST', '/runs/log-batch', { run_id: id, metrics: [m, m] });
    await api.ok('POST', '/runs/log-metric', { run_id: id, ...m });
    const hist = await api.ok('GET', `/metrics/get-history?run_id=${id}&metric_key=dup`);
    expect(hist.metrics).toHaveLength(1);
  });

  it('drops resent points spanning stored chunks, and still takes a new point among them', async () => {
    const id = await api.createRun(exp);
    const point = (i: number) => ({ key: 'resent', value: i / 7, timestamp: 1000 + i, step: i });
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, k) => point(a + k));
    await api.ok('POST', '/runs/log-batch', { run_id: id, metrics: range(0, 600) });
    // Head, middle and tail of what is stored again, then a batch that also carries new points.
    await api.ok('POST', '/runs/log-batch', { run_id: id, metrics: range(0, 300) });
    await api.ok('POST', '/runs/log-batch', { run_id: id, metrics: range(250, 520) });
    await api.ok('POST', '/runs/log-batch', { run_id: id, metrics: [...range(500, 600), ...range(600, 610)] });
    const history = async () =>
      (await api.ok('GET', `/metrics/get-history?run_id=${id}&metric_key=resent&max_results=5000`)).metrics;
    expect((await history()).map((m: { step: string }) => Number(m.step))).toEqual(range(0, 610).map((p) => p.step));
    // Not a duplicate: same step and timestamp as a stored point, another value.
    await api.ok('POST', '/runs/log-batch', { run_id: id, metrics: [{ ...point(300), value: -1 }] });
    const after = await history();
    expect(after).toHaveLength(611);
    expect(
      after.filter((m: { step: string }) => Number(m.step) === 300).map((m: { value: number }) => m.value),
    ).toEqual(expect.arrayContaining([-1, 300 / 7]));
  });

  it('deleted runs reject writes but stay readable; restore reactivates', async () => {
    const id = await api.createRun(exp);
    await api.ok('POST', '/runs/delete', { run_id: id });
    expect((await api.ok('GET', `/runs/get?run_id=${id}`)).run.info.lifecycle_stage).toBe('deleted');
    for (const [path, body] of [
      ['/runs/log-metric', { run_id: id, key: 'k', value: 1, timestamp: 1 }],
      ['/runs/log-parameter', { run_id: id, key: 'k', value: 'v' }],
      ['/runs/set-tag', { run_id: id, key: 'k', value: 'v' }],
      ['/runs/log-batch', { run_id: id, metrics: [] }],
      ['/runs/update', { run_id: id, status: 'FAILED' }],
    ] as const) {
      expect((await api.post(path, body)).status, path).toBe(400);
    }
    await api.ok('POST', '/runs/restore', { run_id: id });
    await api.ok('POST', '/runs/set-tag', { run_id: id, key: 'k', value: 'v' });
  });

  it('answers 404 for unknown runs and 400 for a missing run id', async () => {
    const res = await api.get('/runs/get', { run_id: '0'.repeat(32) });
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await api.get('/runs/get', {})).status).toBe(400);
    expect((await api.post('/runs/log-metric', { key: 'k', value: 1, timestamp: 1 })).status).toBe(400);
  });

  it('log-model appends to mlflow.log-model.history and validates the JSON', async () => {
    const id = await api.createRun(exp);
    const model = {
      artifact_path: 'model',
      flavors: { python_function: {} },
      utc_time_created: '2024-01-01',
      run_id: id,
    };
    await api.ok('POST', '/runs/log-model', { run_id: id, model_json: JSON.stringify(model) });
    await api.ok('POST', '/runs/log-model', {
      run_id: id,
      model_json: JSON.stringify({ ...model, artifact_path: 'm2' }),
    });
    const history = JSON.parse(tagsOf((await api.ok('GET', `/runs/get?run_id=${id}`)).run)['mlflow.log-model.history']);
    expect(history.map((m: { artifact_path: string }) => m.artifact_path)).toEqual(['model', 'm2']);
    expect((await api.post('/runs/log-model', { run_id: id, model_json: '{not json' })).status).toBe(400);
    expect((await api.post('/runs/log-model', { run_id: id, model_json: '{"artifact_path":"x"}' })).status).toBe(400);
  });

  it('log-inputs links datasets once, dedupes per experiment; outputs record model edges', async () => {
    const id = await api.createRun(exp);
    const dataset = {
      name: 'iris',
      digest: 'abc123',
      source_type: 'local',
      source: '{"uri":"/data/iris.csv"}',
      schema: '{"cols":[]}',
    };
    const tags = [{ key: 'mlflow.data.context', value: 'training' }];
    await api.ok('POST', '/runs/log-inputs', { run_id: id, datasets: [{ tags, dataset }] });
    await api.ok('POST', '/runs/log-inputs', {
      run_id: id,
      datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'eval' }], dataset }],
      models: [{ model_id: 'm-abc' }],
    });
    await api.ok('POST', '/runs/outputs', { run_id: id, models: [{ model_id: 'm-out', step: 3 }] });
    const run = (await api.ok('GET', `/runs/get?run_id=${id}`)).run;
    expect(run.inputs.dataset_inputs).toEqual([{ tags, dataset }]);
    expect(run.inputs.model_inputs).toEqual([{ model_id: 'm-abc' }]);
    expect(run.outputs.model_outputs).toEqual([{ model_id: 'm-out', step: 3 }]);
    const bad = await api.post('/runs/log-inputs', {
      run_id: id,
      datasets: [{ dataset: { name: 'x', digest: 'd'.repeat(37), source_type: 'local', source: '{}' } }],
    });
    expect(bad.status).toBe(400);
    const noName = await api.post('/runs/log-inputs', {
      run_id: id,
      datasets: [{ dataset: { digest: 'd', source_type: 'local', source: '{}' } }],
    });
    expect(noName.status).toBe(400);
    const summaries = await server.call('POST', '/ajax-api/2.0/mlflow/experiments/search-datasets', {
      experiment_ids: [exp],
    });
    expect(summaries.body.dataset_summaries).toEqual([
      { experiment_id: exp, name: 'iris', digest: 'abc123', context: 'training' },
    ]);
  });
});
