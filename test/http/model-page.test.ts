import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;
let run: { info: { run_id: string; artifact_uri: string } };

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    model_path: model.pkl
    python_version: 3.11.9
  sklearn:
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.5.1
mlflow_version: 3.6.0
model_size_bytes: 2048
model_uuid: 5f2c0d1e
saved_input_example_info:
  artifact_path: input_example.json
  type: dataframe
  pandas_orient: split
signature:
  inputs: '[{"type": "double", "name": "x", "required": true}]'
  outputs: '[{"type": "long", "required": true}]'
  params: null
utc_time_created: '2025-01-01 00:00:00.000000'
`;

/** Writes a file into the run's artifacts through the artifact proxy, as the MLflow client does. */
async function upload(rel: string, body: string): Promise<void> {
  const key = run.info.artifact_uri.replace(/^mlflow-artifacts:\//, '');
  const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${key}/${rel}`, { method: 'PUT', body });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  t = trove(server);
  run = (await api.ok('POST', '/runs/create', { experiment_id: '0', run_name: 'train-7' })).run;
  const id = run.info.run_id;
  await api.ok('POST', '/runs/log-batch', {
    run_id: id,
    params: [{ key: 'lr', value: '0.1' }],
    metrics: [1, 2].map((step) => ({ key: 'auc', value: 0.9 + step / 100, timestamp: 1, step })),
  });
  const dataset = {
    name: 'transactions',
    digest: 'd41d8cd9',
    source_type: 'local',
    source: '{"uri":"/data/tx.parquet"}',
    schema: '{"mlflow_colspec":[]}',
  };
  await api.ok('POST', '/runs/log-inputs', {
    run_id: id,
    datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset }],
  });
  await upload('model/MLmodel', MLMODEL);
  await upload('model/input_example.json', '{"columns":["x"],"data":[[1.5]]}');
  await upload('broken/MLmodel', 'flavors: [unclosed');
  await api.ok('POST', '/registered-models/create', { name: 'fraud' });
  await server.call(
    'POST',
    `${api.base}/model-versions/create`,
    { name: 'fraud', source: `runs:/${id}/model`, run_id: id },
    { 'x-trove-user': 'alice' },
  );
  await api.ok('POST', '/registered-models/alias', { name: 'fraud', alias: 'champion', version: '1' });
  await api.ok('POST', '/model-versions/transition-stage', {
    name: 'fraud',
    version: '1',
    stage: 'Staging',
    archive_existing_versions: false,
  });
});
afterAll(() => server.close());

describe('model page', () => {
  it('returns the version, its run, datasets, parsed MLmodel and the lineage', async () => {
    const page = await t.ok('GET', '/registered-models/fraud/versions/1');
    expect(page.model_version).toMatchObject({
      name: 'fraud',
      version: '1',
      current_stage: 'Staging',
      aliases: ['champion'],
      run_id: run.info.run_id,
      user_id: 'alice',
    });
    expect(page.run.info).toMatchObject({ run_id: run.info.run_id, run_name: 'train-7' });
    expect(page.run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(page.run.data.metrics).toMatchObject([{ key: 'auc', value: 0.92, step: 2 }]);
    expect(page.datasets).toEqual([
      {
        name: 'transactions',
        digest: 'd41d8cd9',
        source_type: 'local',
        source: '{"uri":"/data/tx.parquet"}',
        schema: '{"mlflow_colspec":[]}',
        context: 'training',
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
      },
    ]);
    expect(Object.keys(page.mlmodel.flavors).sort()).toEqual(['python_function', 'sklearn']);
    expect(page.mlmodel.signature).toEqual({
      inputs: [{ type: 'double', name: 'x', required: true }],
      outputs: [{ type: 'long', required: true }],
      params: null,
    });
    expect(page.mlmodel.saved_input_example_info).toEqual({
      artifact_path: 'input_example.json',
      type: 'dataframe',
      pandas_orient: 'split',
    });
    expect(page.mlmodel).toMatchObject({ artifact_path: 'model', mlflow_version: '3.6.0', model_size_bytes: 2048 });
    expect(page.input_example).toEqual({ columns: ['x'], data: [[1.5]] });
    expect(page.lineage).toEqual({
      datasets: [{ name: 'transactions', digest: 'd41d8cd9', context: 'training' }],
      run: { run_id: run.info.run_id, run_name: 'train-7', experiment_id: '0' },
      model_version: { name: 'fraud', version: '1' },
      stage: 'Staging',
      aliases: ['champion'],
    });
    // The same page under the workspace prefix.
    expect(
      (await server.call('GET', '/w/default/api/trove/v1/registered-models/fraud/versions/1')).body.model_version
        .version,
    ).toBe('1');
  });

  it('leaves out what this server does not hold and reports a broken MLmodel', async () => {
    const remote = (await api.ok('POST', '/model-versions/create', { name: 'fraud', source: 's3://bucket/models/x' }))
      .model_version;
    const page = await t.ok('GET', `/registered-models/fraud/versions/${remote.version}`);
    expect(page.run).toBeUndefined();
    expect(page.mlmodel).toBeUndefined();
    expect(page.datasets).toEqual([]);
    const broken = (
      await api.ok('POST', '/model-versions/create', {
        name: 'fraud',
        source: `runs:/${run.info.run_id}/broken`,
        run_id: run.info.run_id,
      })
    ).model_version;
    const bad = await t.ok('GET', `/registered-models/fraud/versions/${broken.version}`);
    expect(bad.mlmodel).toBeUndefined();
    expect(bad.mlmodel_error).toMatch(/MLmodel/);
    const empty = (
      await api.ok('POST', '/model-versions/create', {
        name: 'fraud',
        source: `runs:/${run.info.run_id}/nothing-here`,
        run_id: run.info.run_id,
      })
    ).model_version;
    expect((await t.ok('GET', `/registered-models/fraud/versions/${empty.version}`)).mlmodel).toBeUndefined();
  });

  it('answers unknown models and versions with MLflow codes', async () => {
    expect((await t.call('GET', '/registered-models/nope/versions/1')).body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await t.call('GET', '/registered-models/fraud/versions/99')).status).toBe(404);
    expect((await t.call('GET', '/registered-models/fraud/versions/x1')).body.error_code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
  });
});

describe('activity log', () => {
  it('lists every registry change of a model, newest first, with actor and time, paged', async () => {
    const user = { 'x-trove-user': 'bob' };
    await server.call(
      'POST',
      `${api.base}/model-versions/set-tag`,
      { name: 'fraud', version: '1', key: 'validated', value: 'yes' },
      user,
    );
    await server.call('POST', `${api.base}/registered-models/rename`, { name: 'fraud', new_name: 'fraud-v2' }, user);
    const all = (await t.ok('GET', '/registered-models/fraud-v2/activity?max_results=1000')).events;
    const kinds = all.map((e: { entity: string; action: string }) => `${e.entity}.${e.action}`);
    expect(kinds.slice(0, 2)).toEqual(['registered_model.renamed', 'model_version_tag.set']);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'registered_model.created',
        'model_version.created',
        'model_version_alias.created',
        'model_version.stage_transitioned',
      ]),
    );
    expect(all[1]).toMatchObject({ actor: 'bob', version: '1', payload: { key: 'validated', value: 'yes' } });
    expect(
      all.find(
        (e: { entity: string; action: string; version: string }) =>
          e.entity === 'model_version' && e.action === 'created' && e.version === '1',
      ).actor,
    ).toBe('alice');
    expect(typeof all[0].timestamp).toBe('number');
    const ids = all.map((e: { event_id: string }) => Number(e.event_id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const p1 = await t.ok('GET', '/registered-models/fraud-v2/activity?max_results=3');
    const p2 = await t.ok('GET', `/registered-models/fraud-v2/activity?max_results=3&page_token=${p1.next_page_token}`);
    expect([...p1.events, ...p2.events].map((e: { event_id: string }) => e.event_id)).toEqual(
      all.slice(0, 6).map((e: { event_id: string }) => e.event_id),
    );
    expect((await t.call('GET', '/registered-models/fraud/activity')).status).toBe(404);
    expect((await t.call('GET', '/registered-models/fraud-v2/activity?max_results=5000')).status).toBe(400);
  });
});
