import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let runId: string;
let artifactUri: string;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  const run = (await api.ok('POST', '/runs/create', { experiment_id: '0' })).run;
  runId = run.info.run_id;
  artifactUri = run.info.artifact_uri;
});
afterAll(() => server.close());

const call = (method: string, path: string, body?: unknown) => server.call(method, `${api.base}${path}`, body);
const ok = async (method: string, path: string, body?: unknown) => {
  const res = await call(method, path, body);
  if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

describe('registered models', () => {
  it('creates, gets, renames, updates, tags and deletes', async () => {
    const created = await ok('POST', '/registered-models/create', {
      name: 'clf',
      description: 'first',
      tags: [{ key: 'team', value: 'vision' }],
    });
    expect(created.registered_model).toMatchObject({
      name: 'clf',
      description: 'first',
      tags: [{ key: 'team', value: 'vision' }],
    });
    expect(typeof created.registered_model.creation_timestamp).toBe('number');
    const dup = await call('POST', '/registered-models/create', { name: 'clf' });
    expect(dup.status).toBe(400);
    expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');

    await ok('POST', '/model-versions/create', { name: 'clf', source: `runs:/${runId}/model`, run_id: runId });
    await ok('POST', '/registered-models/rename', { name: 'clf', new_name: 'clf2' });
    expect((await call('GET', '/registered-models/get?name=clf')).status).toBe(404);
    const got = (await ok('GET', '/registered-models/get?name=clf2')).registered_model;
    expect(got.latest_versions.map((v: { name: string; version: string }) => [v.name, v.version])).toEqual([
      ['clf2', '1'],
    ]);

    const updated = await ok('PATCH', '/registered-models/update', { name: 'clf2', description: 'second' });
    expect(updated.registered_model.description).toBe('second');
    await ok('POST', '/registered-models/set-tag', { name: 'clf2', key: 'k', value: 'v' });
    await ok('DELETE', '/registered-models/delete-tag', { name: 'clf2', key: 'k' });
    await ok('DELETE', '/registered-models/delete-tag', { name: 'clf2', key: 'never-there' });
    await ok('DELETE', '/registered-models/delete', { name: 'clf2' });
    expect((await call('GET', '/registered-models/get?name=clf2')).body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('rejects bad input with MLflow codes', async () => {
    expect((await call('POST', '/registered-models/create', {})).status).toBe(400);
    expect((await call('POST', '/registered-models/create', { name: 'x'.repeat(257) })).status).toBe(400);
    expect(
      (await call('POST', '/registered-models/create', { name: 't', tags: [{ key: 'k', value: 'v'.repeat(100_001) }] }))
        .status,
    ).toBe(400);
    expect((await call('POST', '/registered-models/set-tag', { name: 'missing', key: 'k', value: 'v' })).status).toBe(
      404,
    );
    expect((await call('POST', '/registered-models/rename', { name: 'missing', new_name: 'y' })).status).toBe(404);
  });
});

describe('model versions', () => {
  it('numbers from 1 without reuse; soft delete hides the version and its aliases', async () => {
    await ok('POST', '/registered-models/create', { name: 'num' });
    for (let i = 1; i <= 3; i++)
      expect(
        (await ok('POST', '/model-versions/create', { name: 'num', source: `runs:/${runId}/m${i}` })).model_version,
      ).toMatchObject({
        version: String(i),
        status: 'READY',
        current_stage: 'None',
      });
    await ok('POST', '/registered-models/alias', { name: 'num', alias: 'champion', version: '3' });
    await ok('DELETE', '/model-versions/delete', { name: 'num', version: '3' });
    expect((await call('GET', '/model-versions/get?name=num&version=3')).status).toBe(404);
    expect((await call('GET', '/registered-models/alias?name=num&alias=champion')).status).toBe(400);
    expect(
      (await ok('POST', '/model-versions/create', { name: 'num', source: `runs:/${runId}/m4` })).model_version.version,
    ).toBe('4');
  });

  it('answers download URIs as MLflow: runs:/ as given (run or no run), models:/<name>/<v> resolved, models:/m-… to the logged model', async () => {
    await ok('POST', '/registered-models/create', { name: 'dl' });
    await ok('POST', '/model-versions/create', { name: 'dl', source: `runs:/${runId}/model`, run_id: runId });
    expect((await ok('GET', '/model-versions/get-download-uri?name=dl&version=1')).artifact_uri).toBe(
      `runs:/${runId}/model`,
    );
    const lm = (await ok('POST', '/logged-models', { experiment_id: '0', name: 'm', source_run_id: runId })).model.info;
    const mv = (
      await ok('POST', '/model-versions/create', {
        name: 'dl',
        source: `models:/${lm.model_id}`,
        model_id: lm.model_id,
      })
    ).model_version;
    expect(mv).toMatchObject({ version: '2', run_id: runId, model_id: lm.model_id });
    expect((await ok('GET', '/model-versions/get-download-uri?name=dl&version=2')).artifact_uri).toBe(lm.artifact_uri);
    const tags = (await ok('GET', `/logged-models/${lm.model_id}`)).model.info.tags;
    expect(JSON.parse(tags.find((t: { key: string }) => t.key === 'mlflow.modelVersions').value)).toEqual([
      { name: 'dl', version: '2' },
    ]);
    const remote = (await ok('POST', '/model-versions/create', { name: 'dl', source: 's3://bucket/models/x' }))
      .model_version;
    expect((await ok('GET', `/model-versions/get-download-uri?name=dl&version=${remote.version}`)).artifact_uri).toBe(
      's3://bucket/models/x',
    );
    const ghost = (
      await ok('POST', '/model-versions/create', {
        name: 'dl',
        source: 'runs:/no-such-run/model',
        run_id: 'no-such-run',
      })
    ).model_version;
    expect(ghost).toMatchObject({ source: 'runs:/no-such-run/model', run_id: 'no-such-run' });
    expect((await ok('GET', `/model-versions/get-download-uri?name=dl&version=${ghost.version}`)).artifact_uri).toBe(
      'runs:/no-such-run/model',
    );
    const copy = (await ok('POST', '/model-versions/create', { name: 'dl', source: 'models:/dl/1' })).model_version;
    expect(copy.source).toBe('models:/dl/1');
    expect((await ok('GET', `/model-versions/get-download-uri?name=dl&version=${copy.version}`)).artifact_uri).toBe(
      `runs:/${runId}/model`,
    );
    expect((await call('POST', '/model-versions/create', { name: 'dl', source: 'models:/dl/99' })).status).toBe(400);
  });

  it('transitions stages with archive_existing_versions and answers get-latest-versions (POST and GET)', async () => {
    await ok('POST', '/registered-models/create', { name: 'stages' });
    for (let i = 0; i < 3; i++)
      await ok('POST', '/model-versions/create', { name: 'stages', source: `runs:/${runId}/model` });
    await ok('POST', '/model-versions/transition-stage', {
      name: 'stages',
      version: '1',
      stage: 'production',
      archive_existing_versions: false,
    });
    const moved = await ok('POST', '/model-versions/transition-stage', {
      name: 'stages',
      version: '2',
      stage: 'Production',
      archive_existing_versions: true,
    });
    expect(moved.model_version.current_stage).toBe('Production');
    expect((await ok('GET', '/model-versions/get?name=stages&version=1')).model_version.current_stage).toBe('Archived');
    const prod = await ok('POST', '/registered-models/get-latest-versions', { name: 'stages', stages: ['Production'] });
    expect(prod.model_versions.map((v: { version: string }) => v.version)).toEqual(['2']);
    const all = await ok('GET', '/registered-models/get-latest-versions?name=stages');
    expect(
      all.model_versions.map((v: { version: string; current_stage: string }) => [v.version, v.current_stage]),
    ).toEqual([
      ['1', 'Archived'],
      ['2', 'Production'],
      ['3', 'None'],
    ]);
    expect(
      (await call('POST', '/model-versions/transition-stage', { name: 'stages', version: '3', stage: 'Shipping' }))
        .status,
    ).toBe(400);
    expect(
      (
        await call('POST', '/model-versions/transition-stage', {
          name: 'stages',
          version: '3',
          stage: 'Archived',
          archive_existing_versions: true,
        })
      ).status,
    ).toBe(400);
    expect(
      (await call('POST', '/registered-models/get-latest-versions', { name: 'stages', stages: ['Nope'] })).status,
    ).toBe(400);
  });

  it('sets, moves and deletes aliases; models:/name@alias and @latest resolve', async () => {
    await ok('POST', '/registered-models/create', { name: 'al' });
    for (let i = 0; i < 2; i++)
      await ok('POST', '/model-versions/create', { name: 'al', source: `runs:/${runId}/model` });
    await ok('POST', '/registered-models/alias', { name: 'al', alias: 'champion', version: '1' });
    await ok('POST', '/registered-models/alias', { name: 'al', alias: 'champion', version: '2' });
    const byAlias = (await ok('GET', '/registered-models/alias?name=al&alias=champion')).model_version;
    expect(byAlias).toMatchObject({ version: '2', aliases: ['champion'] });
    expect((await ok('GET', '/registered-models/get?name=al')).registered_model.aliases).toEqual([
      { alias: 'champion', version: '2' },
    ]);
    expect((await ok('GET', '/registered-models/alias?name=al&alias=LATEST')).model_version.version).toBe('2');
    for (const alias of ['latest', 'v1', 'V22', 'bad alias', ''])
      expect((await call('POST', '/registered-models/alias', { name: 'al', alias, version: '1' })).status, alias).toBe(
        400,
      );
    expect((await call('POST', '/registered-models/alias', { name: 'al', alias: 'x', version: '9' })).status).toBe(404);
    expect((await call('POST', '/registered-models/alias', { name: 'al', alias: 'x', version: 'one' })).status).toBe(
      400,
    );
    await ok('DELETE', '/registered-models/alias', { name: 'al', alias: 'champion' });
    await ok('DELETE', '/registered-models/alias', { name: 'al', alias: 'champion' });
    expect((await call('GET', '/registered-models/alias?name=al&alias=champion')).body.error_code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('updates descriptions, sets and deletes version tags, validates versions', async () => {
    await ok('POST', '/registered-models/create', { name: 'vt' });
    await ok('POST', '/model-versions/create', {
      name: 'vt',
      source: `runs:/${runId}/model`,
      tags: [{ key: 'a', value: '1' }],
      description: 'd1',
    });
    expect(
      (await ok('PATCH', '/model-versions/update', { name: 'vt', version: '1', description: 'd2' })).model_version
        .description,
    ).toBe('d2');
    await ok('POST', '/model-versions/set-tag', { name: 'vt', version: '1', key: 'b', value: '2' });
    await ok('DELETE', '/model-versions/delete-tag', { name: 'vt', version: '1', key: 'a' });
    expect((await ok('GET', '/model-versions/get?name=vt&version=1')).model_version.tags).toEqual([
      { key: 'b', value: '2' },
    ]);
    for (const version of ['abc', '1.5', '-1', ''])
      expect((await call('GET', `/model-versions/get?name=vt&version=${version}`)).status, version).toBe(400);
    expect((await call('GET', '/model-versions/get?name=vt&version=7')).status).toBe(404);
    expect((await call('POST', '/model-versions/create', { name: 'missing', source: 's3://b/k' })).status).toBe(404);
  });

  it('numbers 50 concurrent creates 1..50 exactly once', async () => {
    await ok('POST', '/registered-models/create', { name: 'race' });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        ok('POST', '/model-versions/create', { name: 'race', source: `runs:/${runId}/model` }),
      ),
    );
    const versions = results.map((r) => Number(r.model_version.version)).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

describe('model version sources (path-traversal CVEs)', () => {
  const hostile: [string, string][] = [
    ['CVE-2023-1177 local file outside root', 'file:///etc/passwd'],
    ['CVE-2023-1177 bare absolute path', '/etc'],
    ['CVE-2023-2356 relative traversal', '../../../../etc'],
    ['CVE-2023-2780 encoded traversal in mlflow-artifacts', 'mlflow-artifacts:/%2e%2e/%2e%2e/etc'],
    ['CVE-2023-6909 fragment trick', `runs:/${'a'.repeat(32)}/model#/../../../etc`],
    [
      'CVE-2023-6977 double-encoded traversal',
      'http://localhost:5000/api/2.0/mlflow-artifacts/artifacts/%252e%252e/%252e%252e/etc',
    ],
    [
      'CVE-2024-1483 traversal in http artifact URL',
      'http://localhost:5000/api/2.0/mlflow-artifacts/artifacts/../../etc',
    ],
    ['CVE-2024-1593 semicolon path parameter', 'http://localhost:5000/api/2.0/mlflow-artifacts/artifacts/..;/..;/etc'],
    ['CVE-2025-11201 query-string traversal', 'http://localhost:5000/get-artifact?path=../../etc/passwd&run_uuid=x'],
    ['NUL byte', 's3://bucket/model%00.pkl'],
    ['backslash traversal', 's3://bucket/a\\..\\..\\etc'],
    ['local path with run outside its artifacts', '/tmp'],
    ['triple-encoded dots', 'mlflow-artifacts:/%25252e%25252e/etc'],
  ];
  it.each(hostile)('%s → 400', async (_label, source) => {
    await ok('POST', '/registered-models/create', { name: `src-${Math.random().toString(36).slice(2)}` }).then(
      async (created) => {
        const res = await call('POST', '/model-versions/create', {
          name: created.registered_model.name,
          source,
          run_id: runId,
        });
        expect(res.status).toBe(400);
        expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      },
    );
  });

  it('accepts the sources MLflow accepts: repeated and trailing slashes, dotted names, local paths that resolve inside the run', async () => {
    await ok('POST', '/registered-models/create', { name: 'mlflow-accepts' });
    const key = artifactUri.replace('mlflow-artifacts:/', '');
    const inside = `${server.dataDir}/artifacts/${key}`;
    for (const source of [
      'mlflow-artifacts:/models',
      'mlflow-artifacts:/models///',
      'mlflow-artifacts:/models/foo///bar',
      'mlflow-artifacts://host:9000/models/artifact/..../',
      `${inside}/.`,
      `${inside}/model/..`,
      `file://${inside}/model`,
    ]) {
      const res = await call('POST', '/model-versions/create', { name: 'mlflow-accepts', source, run_id: runId });
      expect(res.status, source).toBe(200);
      expect(res.body.model_version.source).toBe(source);
    }
    for (const source of [
      'mlflow-artifacts://host:9000/models/../../../',
      'mlflow-artifacts://host:9000/models/..%2f..%2fartifacts',
      'mlflow-artifacts://host:9000/models/artifact%00',
      'file://10.0.0.1/path/to/source',
      `${inside}/../..`,
    ]) {
      const res = await call('POST', '/model-versions/create', { name: 'mlflow-accepts', source, run_id: runId });
      expect([res.status, res.body.error_code], source).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    }
  });

  it('accepts a local path inside the run artifact directory', async () => {
    await ok('POST', '/registered-models/create', { name: 'local-ok' });
    const key = artifactUri.replace('mlflow-artifacts:/', '');
    const res = await call('POST', '/model-versions/create', {
      name: 'local-ok',
      source: `${server.dataDir}/artifacts/${key}/model`,
      run_id: runId,
    });
    expect(res.status).toBe(200);
  });
});
