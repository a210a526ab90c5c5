import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, as, basic, type Credentials, startAuthServer } from '../../support/auth-server.ts';
import { testStoreUri } from '../../support/backend.ts';
import { startServer, type TestServer } from '../../support/server.ts';

/**
 * MLflow's authorization bugs, each replayed against Trove with auth on. Every test is named after
 * the advisory it guards against. The world: alice owns everything; bob is a signed-in user who may
 * read `shared` and `open-model` (the default READ) and nothing of `secret` or `secret-model`
 * (NO_PERMISSIONS grants).
 */

const M = '/api/2.0/mlflow';
const alice: Credentials = { username: 'alice', password: 'alice-pass-1' };
const bob: Credentials = { username: 'bob', password: 'bob-pass-1' };

let server: TestServer;
let shared: string;
let secret: string;
let sharedRun: string;
let secretRun: string;

const asAlice = () => as(server, basic(alice));
const asBob = () => as(server, basic(bob));

async function gql(
  headers: Record<string, string>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; data: any; errors: string[] | null }> {
  const res = await server.call('POST', '/graphql', { query, variables }, headers);
  return { status: res.status, data: res.body.data, errors: res.body.errors };
}

const putArtifact = (headers: Record<string, string>, path: string, body = 'data', base = server) =>
  base.call('PUT', `/api/2.0/mlflow-artifacts/artifacts/${path}`, body, {
    ...headers,
    'content-type': 'application/octet-stream',
  });

beforeAll(async () => {
  server = await startAuthServer();
  const admin = as(server, basic(ADMIN));
  for (const u of [alice, bob]) await admin.ok('POST', `${M}/users/create`, u);
  const a = asAlice();
  shared = (await a.ok('POST', `${M}/experiments/create`, { name: 'shared' })).experiment_id;
  secret = (await a.ok('POST', `${M}/experiments/create`, { name: 'secret' })).experiment_id;
  await a.ok('POST', `${M}/experiments/permissions/create`, {
    experiment_id: secret,
    username: bob.username,
    permission: 'NO_PERMISSIONS',
  });
  const run = async (experimentId: string) => {
    const id = (await a.ok('POST', `${M}/runs/create`, { experiment_id: experimentId, start_time: Date.now() })).run
      .info.run_id;
    await a.ok('POST', `${M}/runs/log-metric`, { run_id: id, key: 'loss', value: 1, timestamp: Date.now(), step: 0 });
    await a.ok('POST', `${M}/runs/log-inputs`, {
      run_id: id,
      datasets: [{ dataset: { name: 'd', digest: 'x', source_type: 'local', source: '/d' } }],
    });
    expect((await putArtifact(basic(alice), `${experimentId}/${id}/artifacts/f.txt`)).status).toBe(200);
    return id;
  };
  sharedRun = await run(shared);
  secretRun = await run(secret);
  for (const name of ['open-model', 'secret-model']) {
    await a.ok('POST', `${M}/registered-models/create`, { name });
    for (let i = 0; i < 2; i++)
      await a.ok('POST', `${M}/model-versions/create`, { name, source: `runs:/${sharedRun}/model`, run_id: sharedRun });
  }
  await a.ok('POST', `${M}/registered-models/permissions/create`, {
    name: 'secret-model',
    username: bob.username,
    permission: 'NO_PERMISSIONS',
  });
});
afterAll(() => server?.close());

const DENIED = 'Permission denied.';

describe('MLflow auth regressions', () => {
  it('GraphQL bypass when a flag is unset (fail-open middleware): /graphql needs a signed-in caller and checks every field', async () => {
    const query = '{ test(inputString: "x") { output } }';
    for (const path of ['/graphql', '/w/default/graphql', `/graphql?query=${encodeURIComponent(query)}`]) {
      const res = path.includes('?') ? await server.call('GET', path) : await server.call('POST', path, { query });
      expect([path, res.status, res.body.error_code]).toEqual([path, 401, 'UNAUTHENTICATED']);
    }

    const b = basic(bob);
    const denied = async (q: string, field: string) => {
      const { status, data, errors } = await gql(b, q);
      expect(status, field).toBe(200);
      expect(data?.[field] ?? null, field).toBeNull();
      expect(errors, field).toContain(DENIED);
    };
    await denied(
      `{ mlflowGetExperiment(input: {experimentId: "${secret}"}) { experiment { name } } }`,
      'mlflowGetExperiment',
    );
    await denied(`{ mlflowGetRun(input: {runId: "${secretRun}"}) { run { info { runId } } } }`, 'mlflowGetRun');
    await denied(`{ mlflowListArtifacts(input: {runId: "${secretRun}"}) { files { path } } }`, 'mlflowListArtifacts');
    // Every run named must be readable, as on REST.
    await denied(
      `{ mlflowGetMetricHistoryBulkInterval(input: {runIds: ["${sharedRun}", "${secretRun}"], metricKey: "loss"}) { metrics { runId } } }`,
      'mlflowGetMetricHistoryBulkInterval',
    );
    await denied(
      `mutation { mlflowSearchDatasets(input: {experimentIds: ["${secret}"]}) { datasetSummaries { name } } }`,
      'mlflowSearchDatasets',
    );
    // Searches answer what the caller may read, and nothing else.
    const runs = await gql(
      b,
      `mutation { mlflowSearchRuns(input: {experimentIds: ["${shared}", "${secret}"]}) { runs { info { runId } } } }`,
    );
    expect(runs.errors).toBeNull();
    expect(runs.data.mlflowSearchRuns.runs.map((r: any) => r.info.runId)).toEqual([sharedRun]);

    // What bob may read, he reads; alice reads everything.
    const own = await gql(b, `{ mlflowGetRun(input: {runId: "${sharedRun}"}) { run { info { runId } } } }`);
    expect(own.data.mlflowGetRun.run.info.runId).toBe(sharedRun);
    const all = await gql(
      basic(alice),
      `{ mlflowGetRun(input: {runId: "${secretRun}"}) { run { info { runId } experiment { name } } } }`,
    );
    expect(all.errors).toBeNull();
    expect(all.data.mlflowGetRun.run.experiment.name).toBe('secret');
  });

  it('GHSA-f253-vggg-rwh8: the nested run.modelVersions field lists only versions of models the caller may read', async () => {
    const versionsOf = async (who: Credentials) => {
      const { data, errors } = await gql(
        basic(who),
        `{ mlflowGetRun(input: {runId: "${sharedRun}"}) { run { modelVersions { name version } } } }`,
      );
      expect(errors).toBeNull();
      return data.mlflowGetRun.run.modelVersions.map((v: any) => `${v.name}/${v.version}`).sort();
    };
    expect(await versionsOf(alice)).toEqual(['open-model/1', 'open-model/2', 'secret-model/1', 'secret-model/2']);
    expect(await versionsOf(bob)).toEqual(['open-model/1', 'open-model/2']);
    // Through a search as well.
    const { data } = await gql(
      basic(bob),
      `mutation { mlflowSearchRuns(input: {experimentIds: ["${shared}"]}) { runs { modelVersions { name } } } }`,
    );
    const names = data.mlflowSearchRuns.runs.flatMap((r: any) => r.modelVersions.map((v: any) => v.name));
    expect(new Set(names)).toEqual(new Set(['open-model']));
  });

  it('CVE-2026-2734: model-version search is filtered per model, pages included, on REST and GraphQL', async () => {
    const pages = async (who: Credentials, filter?: string) => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const q = new URLSearchParams({
          max_results: '1',
          ...(filter ? { filter } : {}),
          ...(token ? { page_token: token } : {}),
        });
        const res = await as(server, basic(who)).ok('GET', `${M}/model-versions/search?${q}`);
        for (const v of res.model_versions ?? []) seen.push(`${v.name}/${v.version}`);
        token = res.next_page_token;
      } while (token);
      return seen.sort();
    };
    expect(await pages(alice)).toHaveLength(4);
    expect(await pages(bob)).toEqual(['open-model/1', 'open-model/2']);
    expect(await pages(bob, "name = 'secret-model'")).toEqual([]);
    expect(await pages(bob, `run_id = '${sharedRun}'`)).toEqual(['open-model/1', 'open-model/2']);

    const { data, errors } = await gql(
      basic(bob),
      '{ mlflowSearchModelVersions(input: {maxResults: 100}) { modelVersions { name } } }',
    );
    expect(errors).toBeNull();
    expect(new Set(data.mlflowSearchModelVersions.modelVersions.map((v: any) => v.name))).toEqual(
      new Set(['open-model']),
    );
    const models = await asBob().ok('GET', `${M}/registered-models/search?max_results=100`);
    expect(models.registered_models.map((m: any) => m.name)).toEqual(['open-model']);
    // Reading one directly is refused.
    const direct = await asBob().call('GET', `${M}/model-versions/get?name=secret-model&version=1`);
    expect([direct.status, direct.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
  });

  it('GHSA-4qq5-mxxx-m6gg: creating an account needs an admin, and no signup route skips it', async () => {
    const body = { username: 'mallory', password: 'mallory-pass-1' };
    expect((await server.call('POST', `${M}/users/create`, body)).status).toBe(401);
    for (const prefix of ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow', '/w/default/api/2.0/mlflow']) {
      const res = await asBob().call('POST', `${prefix}/users/create`, body);
      expect([prefix, res.status, res.body.error_code]).toEqual([prefix, 403, 'PERMISSION_DENIED']);
    }
    // MLflow's signup form posted form data to the same handler.
    const form = await server.call('POST', `${M}/users/create`, 'username=mallory&password=mallory-pass-1', {
      ...basic(bob),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect([401, 403, 400]).toContain(form.status);
    expect((await asBob().call('POST', '/api/trove/v1/admin/users', body)).status).toBe(403);
    for (const path of ['/signup', '/api/2.0/mlflow/signup', '/api/trove/v1/auth/signup', '/api/trove/v1/users'])
      expect((await server.call('POST', path, body)).status, path).toBeGreaterThanOrEqual(404);
    // No route that creates or changes users is open to a plain signed-in caller.
    const userRoutes = (
      server.catalog as unknown as { method: string; path: string; access: { kind: string } }[]
    ).filter((r) => r.method !== 'GET' && /\/(users?|signup|register)(\/|$)/i.test(r.path));
    expect(userRoutes.length).toBeGreaterThanOrEqual(5);
    for (const r of userRoutes) expect(['admin', 'self'], `${r.method} ${r.path}`).toContain(r.access.kind);
    // And mallory does not exist.
    const login = await server.call('GET', '/api/trove/v1/auth/me', undefined, basic(body));
    expect(login.status).toBe(401);
  });

  it('GHSA-8c7q-86fq-vvmh: multipart uploads and artifact writes under --serve-artifacts need auth and EDIT on the experiment', async () => {
    const dir = `${shared}/${sharedRun}/artifacts`;
    const writes: [string, string, unknown][] = [
      ['POST', `/mpu/create/${dir}`, { path: 'big.bin', num_parts: 2 }],
      ['POST', `/mpu/complete/${dir}`, { path: 'big.bin', upload_id: 'u', parts: [] }],
      ['POST', `/mpu/abort/${dir}`, { path: 'big.bin', upload_id: 'u' }],
      ['PUT', `/artifacts/${dir}/new.txt`, 'data'],
      ['DELETE', `/artifacts/${dir}/f.txt`, undefined],
    ];
    for (const [method, path, body] of writes) {
      for (const prefix of [
        '/api/2.0/mlflow-artifacts',
        '/ajax-api/2.0/mlflow-artifacts',
        '/w/default/api/2.0/mlflow-artifacts',
      ]) {
        const anonymous = await server.call(method, prefix + path, body);
        expect([method, prefix + path, anonymous.status]).toEqual([method, prefix + path, 401]);
      }
      // bob may read `shared` (READ), not write to it.
      const reader = await server.call(method, `/api/2.0/mlflow-artifacts${path}`, body, basic(bob));
      expect([method, path, reader.status, reader.body.error_code]).toEqual([method, path, 403, 'PERMISSION_DENIED']);
    }
    // The owner passes the gate (what the local store then says about multipart is not the point).
    for (const [method, path, body] of writes) {
      const owner = await server.call(method, `/api/2.0/mlflow-artifacts${path}`, body, basic(alice));
      expect([method, path, owner.status === 401 || owner.status === 403]).toEqual([method, path, false]);
    }
    // Reading stays open to the reader.
    expect(
      (await server.call('GET', `/api/2.0/mlflow-artifacts/artifacts/${dir}/new.txt`, undefined, basic(bob))).status,
    ).toBe(200);
  });

  it('GHSA-gq3w-7jj3-x7gr: with auth on and no TROVE_ADMIN_* there is no admin, and admin/password1234 is refused', async () => {
    const bare = await startServer({
      config: { auth: true },
      env: { TROVE_ADMIN_USERNAME: undefined, TROVE_ADMIN_PASSWORD: undefined },
    });
    try {
      for (const password of ['password1234', 'password', 'admin']) {
        const creds = basic({ username: 'admin', password });
        expect((await bare.call('GET', '/api/trove/v1/auth/me', undefined, creds)).status, password).toBe(401);
        expect(
          (await bare.call('POST', `${M}/users/create`, { username: 'x', password: 'x-pass-1' }, creds)).status,
        ).toBe(401);
        expect((await bare.call('POST', '/api/trove/v1/auth/login', { username: 'admin', password })).status).toBe(401);
      }
      // Nobody is signed in and nobody can be: the server is closed until an admin is made out of band.
      expect((await bare.call('GET', '/api/trove/v1/auth/me')).body).toMatchObject({ auth_enabled: true });
      expect((await bare.call('GET', '/api/trove/v1/auth/me')).body.user).toBeUndefined();
      expect((await bare.call('POST', `${M}/experiments/search`, {})).status).toBe(401);
    } finally {
      await bare.close();
    }
  });

  it('mlflow#24566: an --artifacts-only server enforces grants (a READ user cannot PUT or DELETE)', async () => {
    // Two servers over one store and one artifact root, as deployed: tracking, and artifacts only.
    const dir = mkdtempSync(join(tmpdir(), 'trove-artifacts-only-'));
    const backend = await testStoreUri(join(dir, 'trove.db'));
    const common = { backendStoreUri: backend.uri, artifactsDestination: join(dir, 'artifacts') };
    // Grants read by the artifacts server are cached briefly; a short cache keeps the last step quick.
    const env = { TROVE_CREDENTIAL_CACHE_MS: '500' };
    const tracking = await startAuthServer({ config: common, env });
    const artifactsOnly = await startAuthServer({ config: { ...common, artifactsOnly: true }, env });
    try {
      const admin = as(tracking, basic(ADMIN));
      for (const u of [alice, bob]) await admin.ok('POST', `${M}/users/create`, u);
      const a = as(tracking, basic(alice));
      const exp = (await a.ok('POST', `${M}/experiments/create`, { name: 'split' })).experiment_id;
      const runId = (await a.ok('POST', `${M}/runs/create`, { experiment_id: exp })).run.info.run_id;
      await a.ok('POST', `${M}/experiments/permissions/create`, {
        experiment_id: exp,
        username: 'bob',
        permission: 'READ',
      });
      const file = `${exp}/${runId}/artifacts/model.pkl`;

      // The tracking half is switched off there; the artifact half answers.
      expect((await artifactsOnly.call('POST', `${M}/experiments/search`, {}, basic(alice))).status).toBe(503);
      expect((await putArtifact(basic(alice), file, 'v1', artifactsOnly)).status).toBe(200);
      expect((await putArtifact({}, file, 'evil', artifactsOnly)).status).toBe(401);
      const put = await putArtifact(basic(bob), file, 'evil', artifactsOnly);
      expect([put.status, put.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
      const del = await artifactsOnly.call(
        'DELETE',
        `/api/2.0/mlflow-artifacts/artifacts/${file}`,
        undefined,
        basic(bob),
      );
      expect(del.status).toBe(403);
      const mpu = await artifactsOnly.call(
        'POST',
        `/api/2.0/mlflow-artifacts/mpu/create/${exp}/${runId}/artifacts`,
        { path: 'big.bin', num_parts: 2 },
        basic(bob),
      );
      expect(mpu.status).toBe(403);
      // READ still reads, and the file is alice's.
      const read = await artifactsOnly.call(
        'GET',
        `/api/2.0/mlflow-artifacts/artifacts/${file}`,
        undefined,
        basic(bob),
      );
      expect([read.status, read.body]).toEqual([200, 'v1']);
      // A grant changed on the tracking server holds on the artifacts server.
      await a.ok('PATCH', `${M}/experiments/permissions/update`, {
        experiment_id: exp,
        username: 'bob',
        permission: 'EDIT',
      });
      const granted = as(artifactsOnly, basic(bob));
      await expect
        .poll(async () => (await putArtifact(basic(bob), file, 'v2', artifactsOnly)).status, { timeout: 10_000 })
        .toBe(200);
      expect((await granted.call('GET', `/api/2.0/mlflow-artifacts/artifacts/${file}`)).body).toBe('v2');
    } finally {
      await artifactsOnly.close();
      await tracking.close();
      await backend.release();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CVE-2025-0453: GraphQL batch DoS: batches are refused, aliases and root fields are bounded', async () => {
    const b = basic(bob);
    const batch = await server.call(
      'POST',
      '/graphql',
      [{ query: '{ test { output } }' }, { query: '{ test { output } }' }],
      b,
    );
    expect([batch.status, batch.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);

    const started = Date.now();
    const refused: [string, string][] = [
      // Many searches in one request.
      [
        `mutation { ${Array.from({ length: 21 }, (_, i) => `s${i}: mlflowSearchRuns(input: {experimentIds: ["${shared}"]}) { runs { info { runId } } }`).join(' ')} }`,
        'root fields',
      ],
      // One search, its costly nested field repeated under aliases.
      [
        `mutation { mlflowSearchRuns(input: {experimentIds: ["${shared}"]}) { runs { ${Array.from({ length: 51 }, (_, i) => `v${i}: modelVersions { name }`).join(' ')} } } }`,
        'aliases',
      ],
      // Aliases multiplied through fragments, each spread twice by the one before: 255 in all.
      [
        `{ mlflowGetRun(input: {runId: "${sharedRun}"}) { run { ...R0 } } } ${Array.from(
          { length: 8 },
          (_, i) =>
            `fragment R${i} on MlflowRunExtension { a${i}: info { runId } ${i < 7 ? `...R${i + 1} ...R${i + 1}` : ''} }`,
        ).join(' ')}`,
        'aliases',
      ],
    ];
    for (const [query, reason] of refused) {
      const { status, data, errors } = await gql(b, query);
      expect(status).toBe(200);
      expect(data, reason).toBeNull();
      expect(errors?.join(' '), reason).toMatch(/at most 20 are allowed|more than 50 aliases/);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    // A reasonable query with a few aliases still answers.
    const ok = await gql(
      b,
      `{ a: mlflowGetRun(input: {runId: "${sharedRun}"}) { run { info { runId } } } b: test(inputString: "x") { output } }`,
    );
    expect(ok.errors).toBeNull();
    expect(ok.data.a.run.info.runId).toBe(sharedRun);
  });
});
