import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
});
afterAll(() => server.close());

/** POSTs one GraphQL request (to `/w/<ws>/graphql` when `ws` is given). */
async function gql(
  query: string,
  variables?: Record<string, unknown>,
  extra: { operationName?: string; ws?: string } = {},
) {
  const res = await server.call('POST', `${extra.ws ? `/w/${extra.ws}` : ''}/graphql`, {
    query,
    variables,
    operationName: extra.operationName,
  });
  expect(res.status).toBe(200);
  expect(Object.keys(res.body).sort()).toEqual(['data', 'errors']);
  return res.body as { data: any; errors: string[] | null };
}

const putArtifact = (path: string, body: string) =>
  fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, { method: 'PUT', body });

describe('GraphQL: what MLflow UI queries', () => {
  it('echoes through test and testMutation, picks the named operation, reads variables', async () => {
    expect(
      await gql('query testQuery { test(inputString: "abc") { output } }', undefined, { operationName: 'testQuery' }),
    ).toEqual({
      data: { test: { output: 'abc' } },
      errors: null,
    });
    const two =
      'query A { test(inputString: "a") { output } } mutation B($s: String) { testMutation(inputString: $s) { output } }';
    expect((await gql(two, { s: 'from-var' }, { operationName: 'B' })).data).toEqual({
      testMutation: { output: 'from-var' },
    });
    expect((await gql('{ test { output __typename } }')).data).toEqual({ test: { output: null, __typename: 'Test' } });
    expect((await gql(two)).errors).toEqual(['Must provide operation name if query contains multiple operations.']);
  });

  it('mlflowGetExperiment answers the experiment with int64 times as strings', async () => {
    const id = await api.createExperiment('gql-experiment');
    await api.ok('POST', '/experiments/set-experiment-tag', { experiment_id: id, key: 'team', value: 'vision' });
    const rest = (await api.ok('GET', `/experiments/get?experiment_id=${id}`)).experiment;
    const { data, errors } = await gql(
      'query Q($id: String) @component(name: "Test") { mlflowGetExperiment(input: {experimentId: $id}) { experiment { experimentId name artifactLocation lifecycleStage creationTime lastUpdateTime tags { key value } } apiError { code } } }',
      { id },
    );
    expect(errors).toBeNull();
    expect(data.mlflowGetExperiment).toEqual({
      experiment: {
        experimentId: id,
        name: 'gql-experiment',
        artifactLocation: rest.artifact_location,
        lifecycleStage: 'active',
        creationTime: String(rest.creation_time),
        lastUpdateTime: String(rest.last_update_time),
        tags: [{ key: 'team', value: 'vision' }],
      },
      apiError: null,
    });
  });

  it('mlflowGetRun answers the run, its experiment and the model versions registered from it', async () => {
    const exp = await api.createExperiment('gql-run');
    const runId = await api.createRun(exp, { start_time: 1700000000000, run_name: 'r1', user_id: 'alice' });
    // An int64 beyond 2^53 must come back exact: LongString is a string for that reason.
    const big = '9007199254740993';
    await server.call(
      'POST',
      `${api.base}/runs/log-metric`,
      `{"run_id":"${runId}","key":"loss","value":0.25,"timestamp":${big},"step":7}`,
    );
    await api.ok('POST', '/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' });
    const dataset = {
      name: 'train',
      digest: 'abc123',
      source_type: 'local',
      source: '{"uri":"/data"}',
      schema: '{}',
      profile: '{"rows":3}',
    };
    await api.ok('POST', '/runs/log-inputs', {
      run_id: runId,
      datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset }],
    });
    await api.ok('POST', '/registered-models/create', { name: 'GraphqlModel' });
    await api.ok('POST', '/model-versions/create', {
      name: 'GraphqlModel',
      source: `runs:/${runId}/model`,
      run_id: runId,
    });

    const { data, errors } = await gql(`{
      mlflowGetRun(input: {runId: "${runId}"}) {
        apiError { code message helpUrl }
        run {
          info { runId runUuid runName experimentId userId status startTime endTime artifactUri lifecycleStage }
          experiment { experimentId name }
          modelVersions { name version status source runId }
          data { metrics { key value step timestamp } params { key value } tags { key value } }
          inputs { datasetInputs { tags { key value } dataset { name digest sourceType source schema profile } } }
        }
      }
    }`);
    expect(errors).toBeNull();
    const run = data.mlflowGetRun.run;
    expect(data.mlflowGetRun.apiError).toBeNull();
    expect(run.info).toEqual({
      runId,
      runUuid: runId,
      runName: 'r1',
      experimentId: exp,
      userId: 'alice',
      status: 'RUNNING',
      startTime: '1700000000000',
      // Unset int64 fields read as protobuf defaults, as in MLflow's answer.
      endTime: '0',
      artifactUri: `mlflow-artifacts:/${exp}/${runId}/artifacts`,
      lifecycleStage: 'active',
    });
    expect(run.experiment).toEqual({ experimentId: exp, name: 'gql-run' });
    expect(run.modelVersions).toEqual([
      { name: 'GraphqlModel', version: '1', status: 'READY', source: `runs:/${runId}/model`, runId },
    ]);
    expect(run.data.metrics).toEqual([{ key: 'loss', value: 0.25, step: '7', timestamp: big }]);
    expect(run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'r1' });
    expect(run.inputs.datasetInputs).toEqual([
      {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: {
          name: 'train',
          digest: 'abc123',
          sourceType: 'local',
          source: '{"uri":"/data"}',
          schema: '{}',
          profile: '{"rows":3}',
        },
      },
    ]);
  });

  it('a failing field is null with its message in errors; the rest of the answer stands', async () => {
    const exp = await api.createExperiment('gql-errors');
    const runId = await api.createRun(exp);
    const missing = 'f'.repeat(32);
    const both = await gql(
      `{ ok: mlflowGetRun(input: {runId: "${runId}"}) { run { info { runId } } } bad: mlflowGetRun(input: {runId: "${missing}"}) { run { info { runId } } } }`,
    );
    expect(both.data).toEqual({ ok: { run: { info: { runId } } }, bad: null });
    expect(both.errors).toHaveLength(1);
    expect(both.errors![0]).toContain(missing);
    expect((await gql('{ mlflowGetRun(input: {}) { run { info { runId } } } }')).errors![0]).toContain("'run_id'");
    expect(
      (await gql('{ mlflowGetExperiment(input: {experimentId: "424242"}) { experiment { name } } }')).data,
    ).toEqual({ mlflowGetExperiment: null });

    // GraphQL's Float has no NaN: the value is null and the answer says why (MLflow answers the same).
    await api.ok('POST', '/runs/log-metric', { run_id: runId, key: 'odd', value: 'NaN', timestamp: 1, step: 0 });
    const nan = await gql(`{ mlflowGetRun(input: {runId: "${runId}"}) { run { data { metrics { key value } } } } }`);
    expect(nan.data.mlflowGetRun.run.data.metrics).toEqual([{ key: 'odd', value: null }]);
    expect(nan.errors).toEqual(['Float cannot represent non numeric value: "NaN"']);
  });

  it('mlflowSearchRuns pages newest first, honours the view type and links each run its versions', async () => {
    const exp = await api.createExperiment('gql-search');
    const first = await api.createRun(exp, { start_time: 1000 });
    const second = await api.createRun(exp, { start_time: 2000 });
    const gone = await api.createRun(exp, { start_time: 3000 });
    await api.ok('POST', '/runs/delete', { run_id: gone });
    await api.ok('POST', '/registered-models/create', { name: 'SearchModel' });
    await api.ok('POST', '/model-versions/create', { name: 'SearchModel', source: `runs:/${first}/m`, run_id: first });
    await api.ok('POST', '/model-versions/create', {
      name: 'SearchModel',
      source: `runs:/${second}/m`,
      run_id: second,
    });
    await api.ok('POST', '/model-versions/create', {
      name: 'SearchModel',
      source: `runs:/${second}/m2`,
      run_id: second,
    });

    const search = `mutation S($input: MlflowSearchRunsInput) { mlflowSearchRuns(input: $input) {
      runs { info { runId status } experiment { name } modelVersions { version } } nextPageToken apiError { code } } }`;
    const all = await gql(search, { input: { experimentIds: [exp] } });
    expect(all.errors).toBeNull();
    expect(all.data.mlflowSearchRuns).toEqual({
      runs: [
        {
          info: { runId: second, status: 'RUNNING' },
          experiment: { name: 'gql-search' },
          modelVersions: expect.arrayContaining([{ version: '2' }, { version: '3' }]),
        },
        {
          info: { runId: first, status: 'RUNNING' },
          experiment: { name: 'gql-search' },
          modelVersions: [{ version: '1' }],
        },
      ],
      nextPageToken: '',
      apiError: null,
    });
    expect(all.data.mlflowSearchRuns.runs[0].modelVersions).toHaveLength(2);

    const page1 = (await gql(search, { input: { experimentIds: [exp], maxResults: 1 } })).data.mlflowSearchRuns;
    expect(page1.runs.map((r: any) => r.info.runId)).toEqual([second]);
    expect(page1.nextPageToken).not.toBe('');
    const page2 = (
      await gql(search, { input: { experimentIds: [exp], maxResults: 1, pageToken: page1.nextPageToken } })
    ).data.mlflowSearchRuns;
    expect(page2.runs.map((r: any) => r.info.runId)).toEqual([first]);

    const deleted = (await gql(search, { input: { experimentIds: [exp], runViewType: 'DELETED_ONLY' } })).data
      .mlflowSearchRuns;
    expect(deleted.runs).toEqual([
      { info: { runId: gone, status: 'RUNNING' }, experiment: { name: 'gql-search' }, modelVersions: [] },
    ]);

    const filtered = await gql(
      `mutation { mlflowSearchRuns(input: {experimentIds: ["${exp}"], filter: "attributes.start_time < 1500"}) { runs { info { runId } } } }`,
    );
    expect(filtered.data.mlflowSearchRuns.runs).toEqual([{ info: { runId: first } }]);
    const bad = await gql(
      `mutation { mlflowSearchRuns(input: {experimentIds: ["${exp}"], filter: "nonsense filter"}) { runs { info { runId } } } }`,
    );
    expect(bad.data).toEqual({ mlflowSearchRuns: null });
    expect(bad.errors).toHaveLength(1);
  });

  it('mlflowGetMetricHistoryBulkInterval answers every run its points, sampled to maxResults', async () => {
    const exp = await api.createExperiment('gql-metrics');
    const a = await api.createRun(exp);
    const b = await api.createRun(exp);
    const metrics = (n: number, scale: number) =>
      Array.from({ length: n }, (_, i) => ({ key: 'acc', value: i * scale, timestamp: 1000 + i, step: i }));
    await api.ok('POST', '/runs/log-batch', { run_id: a, metrics: metrics(10, 1) });
    await api.ok('POST', '/runs/log-batch', { run_id: b, metrics: metrics(5, 10) });

    const query =
      'query H($input: MlflowGetMetricHistoryBulkIntervalInput) { mlflowGetMetricHistoryBulkInterval(input: $input) { metrics { key value step timestamp runId } } }';
    const { data, errors } = await gql(query, { input: { runIds: [a], metricKey: 'acc' } });
    expect(errors).toBeNull();
    expect(data.mlflowGetMetricHistoryBulkInterval.metrics).toEqual(
      metrics(10, 1).map((m) => ({
        key: 'acc',
        value: m.value,
        step: String(m.step),
        timestamp: String(m.timestamp),
        runId: a,
      })),
    );

    const both = (await gql(query, { input: { runIds: [a, b], metricKey: 'acc', maxResults: 3 } })).data
      .mlflowGetMetricHistoryBulkInterval.metrics;
    for (const run of [a, b]) {
      const steps = both.filter((m: any) => m.runId === run).map((m: any) => Number(m.step));
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.length).toBeLessThanOrEqual(5);
      expect(steps[0]).toBe(0);
    }
    const ranged = (await gql(query, { input: { runIds: [a], metricKey: 'acc', startStep: 2, endStep: 4 } })).data
      .mlflowGetMetricHistoryBulkInterval.metrics;
    expect(ranged.map((m: any) => m.step)).toEqual(['2', '3', '4']);

    expect(
      (await gql(query, { input: { runIds: [a], metricKey: 'none' } })).data.mlflowGetMetricHistoryBulkInterval,
    ).toEqual({ metrics: [] });
    const backwards = await gql(query, { input: { runIds: [a], metricKey: 'acc', startStep: 5, endStep: 1 } });
    expect(backwards.data.mlflowGetMetricHistoryBulkInterval).toBeNull();
    expect(backwards.errors![0]).toContain('end_step must be greater than start_step');
  });

  it('mlflowListArtifacts lists a run root and a folder; refuses a path that climbs out', async () => {
    const exp = await api.createExperiment('gql-artifacts');
    const runId = await api.createRun(exp);
    expect((await putArtifact(`${exp}/${runId}/artifacts/test.txt`, 'hello world')).status).toBe(200);
    expect((await putArtifact(`${exp}/${runId}/artifacts/testDir/test.txt`, 'hello world')).status).toBe(200);

    const { data, errors } = await gql(`
      fragment Files on MlflowListArtifactsResponse { rootUri files { path isDir fileSize } nextPageToken }
      query Q { root: mlflowListArtifacts(input: {runId: "${runId}"}) { ...Files } sub: mlflowListArtifacts(input: {runUuid: "${runId}", path: "testDir"}) { ...Files } }`);
    expect(errors).toBeNull();
    const rootUri = `mlflow-artifacts:/${exp}/${runId}/artifacts`;
    expect(data.root).toEqual({
      rootUri,
      files: [
        { path: 'test.txt', isDir: false, fileSize: '11' },
        { path: 'testDir', isDir: true, fileSize: '0' },
      ],
      nextPageToken: '',
    });
    expect(data.sub).toEqual({
      rootUri,
      files: [{ path: 'testDir/test.txt', isDir: false, fileSize: '11' }],
      nextPageToken: '',
    });

    const climb = await gql(
      `{ mlflowListArtifacts(input: {runId: "${runId}", path: "../../etc"}) { files { path } } }`,
    );
    expect(climb.data).toEqual({ mlflowListArtifacts: null });
    expect(climb.errors).toHaveLength(1);
  });

  it('mlflowSearchDatasets summarises the datasets logged to the experiments (context "" when untagged)', async () => {
    const exp = await api.createExperiment('gql-datasets');
    const runId = await api.createRun(exp);
    const ds = (name: string, digest: string) => ({ name, digest, source_type: 'script', source: 'test' });
    await api.ok('POST', '/runs/log-inputs', {
      run_id: runId,
      datasets: [
        { tags: [], dataset: ds('d1', '12345') },
        { tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: ds('d2', '12346') },
      ],
    });
    const { data, errors } = await gql(
      `mutation { mlflowSearchDatasets(input: {experimentIds: ["${exp}"]}) { datasetSummaries { experimentId name digest context } apiError { code } } }`,
    );
    expect(errors).toBeNull();
    expect(
      [...data.mlflowSearchDatasets.datasetSummaries].sort((x: any, y: any) => x.digest.localeCompare(y.digest)),
    ).toEqual([
      { experimentId: exp, name: 'd1', digest: '12345', context: '' },
      { experimentId: exp, name: 'd2', digest: '12346', context: 'training' },
    ]);
    const none = await gql(
      'mutation { mlflowSearchDatasets(input: {experimentIds: []}) { datasetSummaries { name } } }',
    );
    expect(none.data).toEqual({ mlflowSearchDatasets: null });
    expect(none.errors![0]).toBe('SearchDatasets request must specify at least one experiment_id.');
  });

  it('mlflowSearchModelVersions filters like the REST search', async () => {
    const exp = await api.createExperiment('gql-versions');
    const runId = await api.createRun(exp);
    await api.ok('POST', '/registered-models/create', { name: 'Findable' });
    await api.ok('POST', '/model-versions/create', { name: 'Findable', source: `runs:/${runId}/m`, run_id: runId });
    const { data, errors } = await gql(
      `{ mlflowSearchModelVersions(input: {filter: "name='Findable'", maxResults: 10}) { modelVersions { name version runId currentStage creationTimestamp aliases tags { key } } nextPageToken } }`,
    );
    expect(errors).toBeNull();
    const [v] = data.mlflowSearchModelVersions.modelVersions;
    expect(v).toMatchObject({ name: 'Findable', version: '1', runId, currentStage: 'None', aliases: [], tags: [] });
    expect(v.creationTimestamp).toMatch(/^\d+$/);
  });

  it('answers under /w/<workspace>/graphql from that workspace only', async () => {
    expect((await server.call('POST', '/api/trove/v1/workspaces', { name: 'gql-team' })).status).toBe(200);
    const team = mlflow(server, 'gql-team');
    const exp = await team.createExperiment('team-only');
    const runId = await team.createRun(exp);
    const query = `{ mlflowGetRun(input: {runId: "${runId}"}) { run { experiment { name } } } }`;
    expect((await gql(query, undefined, { ws: 'gql-team' })).data).toEqual({
      mlflowGetRun: { run: { experiment: { name: 'team-only' } } },
    });
    const outside = await gql(query);
    expect(outside.data).toEqual({ mlflowGetRun: null });
    expect(outside.errors).toHaveLength(1);
    expect((await server.call('POST', '/w/no-such-ws/graphql', { query: '{ test { output } }' })).status).toBe(404);
  });

  it('takes GET with the query in the query string', async () => {
    const res = await server.call(
      'GET',
      `/graphql?query=${encodeURIComponent('query ($s: String) { test(inputString: $s) { output } }')}&variables=${encodeURIComponent('{"s":"via-get"}')}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { test: { output: 'via-get' } }, errors: null });
  });

  it('serves introspection (the standard query fits the limits) with MLflow root type names', async () => {
    const { data, errors } = await gql(getIntrospectionQuery());
    expect(errors).toBeNull();
    expect(data.__schema.queryType.name).toBe('Query');
    expect(data.__schema.mutationType.name).toBe('Mutation');
    const long = data.__schema.types.find((t: any) => t.name === 'LongString');
    expect(long.kind).toBe('SCALAR');
  });
});

describe('GraphQL: bad input is a 4xx or a GraphQL error, never a 500', () => {
  it('malformed envelopes are 400 with an MLflow error body', async () => {
    const cases: [string, string | undefined][] = [
      ['{not json', 'application/json'],
      ['[{"query":"{ test { output } }"}]', 'application/json'],
      ['{}', 'application/json'],
      ['{"query": 5}', 'application/json'],
      ['{"query": ""}', 'application/json'],
      ['"just a string"', 'application/json'],
      ['{"query":"{ test { output } }","variables":[1]}', 'application/json'],
      ['{"query":"{ test { output } }","variables":"{oops"}', 'application/json'],
      ['{"query":"{ test { output } }","operationName":{}}', 'application/json'],
      ['{"query":"{ test { output } }"}', 'text/plain'],
    ];
    for (const [body, type] of cases) {
      const res = await server.call('POST', '/graphql', body, type ? { 'content-type': type } : {});
      expect(res.status, body).toBe(400);
      expect(typeof res.body.error_code, body).toBe('string');
      expect(typeof res.body.message, body).toBe('string');
    }
    expect((await server.call('GET', '/graphql')).status).toBe(400);
  });

  it('invalid documents and values answer 200 with data null and the reasons', async () => {
    const invalid = [
      '{ mlflowGetExperiment(',
      '{ test(inputString: "unterminated) { output } }',
      '{ test \\ }',
      '{ nope }',
      '{ mlflowGetExperiment(input: {experimentId: 1}) { experiment { name } } }',
      '{ mlflowSearchModelVersions(input: {maxResults: "ten"}) { nextPageToken } }',
      '{ mlflowSearchModelVersions(input: {maxResults: 99999999999999999999999}) { nextPageToken } }',
      'mutation { mlflowSearchRuns(input: {runViewType: SOMETIMES}) { nextPageToken } }',
      'subscription { test { output } }',
      'fragment A on Query { ...B } fragment B on Query { ...A } { ...A }',
    ];
    for (const query of invalid) {
      const { data, errors } = await gql(query);
      expect(data, query).toBeNull();
      expect(errors!.length, query).toBeGreaterThan(0);
    }
    const wrongVar = await gql(
      'query ($id: String) { mlflowGetExperiment(input: {experimentId: $id}) { experiment { name } } }',
      { id: { deep: [1, 2] } },
    );
    expect(wrongVar.data).toBeNull();
    expect(wrongVar.errors![0]).toContain('$id');
    const nullItem = await gql(
      'query ($ids: [String]) { mlflowGetMetricHistoryBulkInterval(input: {runIds: $ids, metricKey: "m"}) { metrics { key } } }',
      { ids: [null] },
    );
    expect(nullItem.data).toEqual({ mlflowGetMetricHistoryBulkInterval: null });
    expect(nullItem.errors).toHaveLength(1);
  });

  it('bounds a document: nesting, size, depth and root fields', async () => {
    const limited: [string, string][] = [
      [`{ test ${'{ a '.repeat(50_000)}${'}'.repeat(50_000)} }`, 'nests more than'],
      [`{ test(inputString: ${'['.repeat(20_000)}${']'.repeat(20_000)}) { output } }`, 'nests more than'],
      [`{ test(inputString: "x") { ${'output '.repeat(12_000)} } }`, 'tokens'],
      [`{ __schema { types { fields { type ${'{ ofType '.repeat(20)}{ name }${' }'.repeat(20)} } } } }`, 'levels deep'],
      [
        `{ ${Array.from({ length: 21 }, (_, i) => `t${i}: test(inputString: "x") { output }`).join(' ')} }`,
        '21 root fields',
      ],
    ];
    for (const [query, reason] of limited) {
      const { data, errors } = await gql(query);
      expect(data, reason).toBeNull();
      expect(errors!.join(' '), reason).toContain(reason);
    }
    const twenty = `{ ${Array.from({ length: 20 }, (_, i) => `t${i}: test(inputString: "x") { output }`).join(' ')} }`;
    expect((await gql(twenty)).errors).toBeNull();
    // Each fragment spreads the next twice: 2^30 paths if walked naively; answered at once.
    const chain = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on Test { output ${i < 29 ? `...F${i + 1} ...F${i + 1}` : ''} }`,
    ).join(' ');
    const started = Date.now();
    expect((await gql(`{ test(inputString: "x") { ...F0 } } ${chain}`)).data).toEqual({ test: { output: 'x' } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
