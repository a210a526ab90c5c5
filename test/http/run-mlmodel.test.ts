import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';

let server: TestServer;
let t: ReturnType<typeof trove>;
let runId: string;
let artifactUri: string;

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    python_version: 3.11.9
  sklearn:
    sklearn_version: 1.5.1
mlflow_version: 2.17.2
saved_input_example_info:
  artifact_path: input_example.json
  type: dataframe
signature:
  inputs: '[{"type": "double", "name": "x", "required": true}]'
  outputs: '[{"type": "long", "required": true}]'
`;

async function upload(rel: string, body: string): Promise<void> {
  const key = artifactUri.replace(/^mlflow-artifacts:\//, '');
  const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${key}/${rel}`, { method: 'PUT', body });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  server = await startServer();
  t = trove(server);
  const run = (await mlflow(server).ok('POST', '/runs/create', { experiment_id: '0', run_name: 'logged-model' })).run;
  runId = run.info.run_id;
  artifactUri = run.info.artifact_uri;
  await upload('model/MLmodel', MLMODEL);
  await upload('model/input_example.json', '{"columns":["x"],"data":[[2.5]]}');
  await upload('bad/MLmodel', 'flavors: [unclosed');
});
afterAll(() => server.close());

describe('GET /api/trove/v1/runs/:run_id/mlmodel (the artifacts browser model view)', () => {
  it('parses the MLmodel under a run artifact folder, with its input example', async () => {
    const body = await t.ok('GET', `/runs/${runId}/mlmodel?path=model`);
    expect(Object.keys(body.mlmodel.flavors)).toEqual(['python_function', 'sklearn']);
    expect(body.mlmodel.signature.inputs).toEqual([{ type: 'double', name: 'x', required: true }]);
    expect(body.mlmodel.mlflow_version).toBe('2.17.2');
    expect(body.input_example).toEqual({ columns: ['x'], data: [[2.5]] });
  });

  it('answers an empty object for a folder without MLmodel, an error text for a broken one', async () => {
    expect(await t.ok('GET', `/runs/${runId}/mlmodel?path=elsewhere`)).toEqual({});
    expect((await t.ok('GET', `/runs/${runId}/mlmodel?path=bad`)).mlmodel_error).toMatch(
      /^Could not read the MLmodel file/,
    );
  });

  it('refuses path traversal and unknown runs with 4xx envelopes', async () => {
    const traversal = await t.call('GET', `/runs/${runId}/mlmodel?path=${encodeURIComponent('../../other')}`);
    expect(traversal.status).toBe(400);
    expect(traversal.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const unknown = await t.call('GET', '/runs/0123456789abcdef0123456789abcdef/mlmodel?path=model');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
