import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

const AJAX = '/ajax-api/2.0/mlflow';

describe('runs/create-promptlab-run', () => {
  let server: TestServer;
  let exp: string;
  beforeAll(async () => {
    server = await startServer();
    exp = await mlflow(server).createExperiment('prompts');
  });
  afterAll(() => server.close());

  const request = () => ({
    experiment_id: exp,
    run_name: 'my_run_name',
    tags: [{ key: 'team', value: 'nlp' }],
    prompt_template: 'Translate {{ text }}',
    prompt_parameters: [{ key: 'text', value: 'hello' }],
    model_route: 'chat',
    model_parameters: [{ key: 'temperature', value: 0.1 }],
    model_input: 'Translate hello',
    model_output: 'bonjour',
    model_output_parameters: [{ key: 'latency', value: 120 }],
    mlflow_version: '2.17.2',
    user_id: 'ana',
    start_time: 456,
  });

  it("refuses a request without a required field, in MLflow's words, in its order", async () => {
    const full = request();
    for (const field of [
      'experiment_id',
      'prompt_template',
      'prompt_parameters',
      'model_route',
      'model_input',
      'mlflow_version',
    ] as const) {
      const { [field]: _dropped, ...rest } = full;
      const res = await server.call('POST', `${AJAX}/runs/create-promptlab-run`, rest);
      expect([res.status, res.body.error_code, res.body.message]).toEqual([
        400,
        'INVALID_PARAMETER_VALUE',
        `CreatePromptlabRun request must specify ${field}.`,
      ]);
    }
  });

  it('records a finished run with params, tags, a table artifact and a loadable promptlab model', async () => {
    const res = await server.call('POST', `${AJAX}/runs/create-promptlab-run`, request());
    expect(res.status).toBe(200);
    const { info, data } = res.body.run;
    expect(info).toMatchObject({
      run_name: 'my_run_name',
      experiment_id: exp,
      user_id: 'ana',
      status: 'FINISHED',
      start_time: 456,
    });
    expect(data.params).toEqual(
      expect.arrayContaining([
        { key: 'model_route', value: 'chat' },
        { key: 'prompt_template', value: 'Translate {{ text }}' },
        { key: 'temperature', value: '0.1' },
      ]),
    );
    expect(data.tags).toEqual(
      expect.arrayContaining([
        { key: 'mlflow.loggedArtifacts', value: '[{"path": "eval_results_table.json", "type": "table"}]' },
        { key: 'mlflow.runSourceType', value: 'PROMPT_ENGINEERING' },
        { key: 'team', value: 'nlp' },
      ]),
    );
    const api = mlflow(server);
    const table = await fetch(`${server.url}/get-artifact?run_uuid=${info.run_id}&path=eval_results_table.json`);
    expect(await table.json()).toEqual({
      columns: ['text', 'prompt', 'output', 'latency'],
      data: [['hello', 'Translate hello', 'bonjour', '120']],
    });
    const files = (await api.ok('GET', `/artifacts/list?run_id=${info.run_id}&path=model`)).files.map(
      (f: { path: string }) => f.path,
    );
    expect(files).toEqual(
      expect.arrayContaining(['model/MLmodel', 'model/parameters.yaml', 'model/input_example.json']),
    );
    const mlmodel = await (await fetch(`${server.url}/get-artifact?run_uuid=${info.run_id}&path=model/MLmodel`)).text();
    expect(mlmodel).toContain('loader_module: mlflow._promptlab');
  });
});

describe('gateway-proxy', () => {
  let gateway: Server;
  let target: string;
  const seen: string[] = [];
  beforeAll(async () => {
    gateway = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/api/2.0/endpoints/')
        return res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ endpoints: [{ name: 'chat' }] }));
      res.writeHead(404).end('no such route');
    });
    await new Promise<void>((done) => gateway.listen(0, '127.0.0.1', done));
    target = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => gateway.close(() => done())));

  it('answers an empty gateway when no MLFLOW_DEPLOYMENTS_TARGET is set', async () => {
    const server = await startServer({ env: { MLFLOW_DEPLOYMENTS_TARGET: '' } });
    try {
      expect((await server.call('GET', `${AJAX}/gateway-proxy`)).body).toEqual({ endpoints: [] });
    } finally {
      await server.close();
    }
  });

  it('forwards to the target, requires gateway_path, keeps to the target origin and reports its errors as 4xx', async () => {
    const server = await startServer({ env: { MLFLOW_DEPLOYMENTS_TARGET: target } });
    try {
      const missing = await server.call('POST', `${AJAX}/gateway-proxy`, {});
      expect([missing.status, missing.body.error_code, missing.body.message]).toEqual([
        400,
        'INVALID_PARAMETER_VALUE',
        'Deployments proxy request must specify a gateway_path.',
      ]);
      const listed = await server.call('GET', `${AJAX}/gateway-proxy?gateway_path=api/2.0/endpoints/`);
      expect([listed.status, listed.body]).toEqual([200, { endpoints: [{ name: 'chat' }] }]);
      const unknown = await server.call('POST', `${AJAX}/gateway-proxy`, { gateway_path: 'nope', json_data: { a: 1 } });
      expect([unknown.status, unknown.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(unknown.body.message).toContain('failed with error code 404');
      const away = await server.call(
        'GET',
        `${AJAX}/gateway-proxy?gateway_path=${encodeURIComponent('//evil.example/x')}`,
      );
      // A path that looks like another host stays a path on the deployments server.
      expect(away.status).toBe(400);
      expect(seen).toContain('GET /evil.example/x');
    } finally {
      await server.close();
    }
  });
});
