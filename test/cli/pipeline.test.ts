import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TrackingClient } from '@trove/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, as, basic, createUser, startAuthServer } from '../support/auth-server.ts';
import type { TestServer } from '../support/server.ts';

// The pipeline commands (docs/cli.md, docs/ci-pipeline-guide.md) through the built binary, as a
// CI job runs them: a `ci` user's token in TROVE_TOKEN, a `lead` who decides reviews.
const CLI = resolve(import.meta.dirname, '../../packages/cli/bin/trove.js');
const dir = mkdtempSync(join(tmpdir(), 'trove-cli-pipeline-'));

let server: TestServer;
let token = '';
const LEAD = { username: 'lead', password: 'lead-pass-1' };
const lead = () => as(server, basic(LEAD));
const runIds: Record<string, string> = {};
const modelFiles = {
  MLmodel: Buffer.from('flavors:\n  python_function: {}\n'),
  'data/weights.bin': randomBytes(300_000),
};

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `trove` and resolves with its exit status and output (never rejects). */
function trove(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: dir,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, MLFLOW_TRACKING_URI: server.url, TROVE_TOKEN: token, ...env },
      },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}
const json = (r: Result) => {
  expect(r, r.stderr).toMatchObject({ code: 0 });
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  server = await startAuthServer();
  const admin = as(server, basic(ADMIN));
  const ci = { username: 'ci', password: 'ci-pass-1' };
  await Promise.all([createUser(server, ci, { default: 'editor' }), createUser(server, LEAD, { default: 'editor' })]);
  token = (await as(server, basic(ci)).ok('POST', '/api/trove/v1/auth/tokens', { name: 'pipeline' })).token;

  const client = new TrackingClient({ trackingUri: server.url, auth: ADMIN });
  const experimentId = await client.createExperiment('fraud');
  for (const [name, auc] of [
    ['baseline', 0.91],
    ['xgb', 0.95],
  ] as const) {
    const run = await client.createRun({ experimentId, runName: name });
    runIds[name] = run.info.run_id;
    await client.logBatch(run.info.run_id, { metrics: [{ key: 'auc', value: auc, step: 3 }], params: { model: name } });
    await client.updateRun(run.info.run_id, { status: 'FINISHED', endTime: Date.now() });
  }
  for (const [path, bytes] of Object.entries(modelFiles))
    await client.uploadArtifact(runIds.xgb, `model/${path}`, bytes);
  const root = await client.artifactUri(runIds.xgb);
  await admin.ok('POST', '/api/2.0/mlflow/registered-models/create', { name: 'fraud' });
  // Version 1 names its run's files as runs:/, 2 by their URI with its run, 3 by the URI alone.
  for (const body of [
    { source: `runs:/${runIds.xgb}/model`, run_id: runIds.xgb },
    { source: `${root}/model`, run_id: runIds.xgb },
    { source: `${root}/model` },
  ])
    await admin.ok('POST', '/api/2.0/mlflow/model-versions/create', { name: 'fraud', ...body });
  await admin.ok('PUT', '/api/trove/v1/registered-models/fraud/review-policy', {
    rules: [
      { kind: 'stage', target: 'Production', required_approvals: 1 },
      { kind: 'alias', target: 'champion', required_approvals: 1 },
    ],
  });
  await admin.ok('POST', '/api/trove/v1/workspaces', { name: 'team-b' });
  await admin.ok('POST', '/w/team-b/api/2.0/mlflow/registered-models/create', { name: 'ranker' });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('trove pipeline commands', { timeout: 120_000 }, () => {
  it('lists, searches and gets runs and models as tables and as JSON', async () => {
    const [table, listed, searched, got, models, versions, runTable, inTeamB] = await Promise.all([
      trove(['runs', 'list', '-e', 'fraud']),
      trove(['runs', 'list', '-e', 'fraud', '--json']),
      trove(['runs', 'search', '-e', 'fraud', '--filter', 'metrics.auc > 0.93', '--json']),
      trove(['runs', 'get', runIds.xgb, '--json']),
      trove(['models', 'list', '--json']),
      trove(['models', 'versions', 'fraud']),
      trove(['runs', 'get', runIds.baseline]),
      trove(['models', 'list', '--json', '--workspace', 'team-b']),
    ]);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN_ID {2,}NAME {2,}STATUS {2,}STARTED {2,}DURATION {2,}EXPERIMENT$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/).slice(0, 3))).toEqual(
      expect.arrayContaining([
        [runIds.baseline, 'baseline', 'FINISHED'],
        [runIds.xgb, 'xgb', 'FINISHED'],
      ]),
    );
    expect(lines).toHaveLength(3);
    expect(
      json(listed)
        .runs.map((r: any) => r.info.run_id)
        .sort(),
    ).toEqual([runIds.baseline, runIds.xgb].sort());
    expect(json(searched).runs.map((r: any) => r.info.run_name)).toEqual(['xgb']);
    expect(json(got).run.data.metrics).toEqual([expect.objectContaining({ key: 'auc', value: 0.95, step: 3 })]);
    expect(runTable.stdout).toMatch(/^auc {2,}0\.91 {2,}3$/m);
    expect(runTable.stdout).toMatch(/^model {2,}baseline$/m);
    expect(json(models).registered_models.map((m: any) => m.name)).toEqual(['fraud']);
    expect(json(inTeamB).registered_models.map((m: any) => m.name)).toEqual(['ranker']);
    const rows = versions.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^VERSION {2,}STAGE {2,}ALIASES {2,}RUN_ID/);
    expect(rows.slice(1).map((r) => r.split(/ +/)[0])).toEqual(['3', '2', '1']);
  });

  it('exits 2 when not found, 3 without credentials, 4 where a review policy refuses, 1 on bad usage, 5 when unreachable', async () => {
    const results = await Promise.all([
      trove(['runs', 'get', 'f'.repeat(32)]),
      trove(['models', 'get', 'no-such-model']),
      trove(['models', 'download', 'fraud', '99', '--dest', join(dir, 'none')]),
      trove(['models', 'list'], { TROVE_TOKEN: '' }),
      trove(['models', 'list'], { TROVE_TOKEN: 'trove_not-a-token' }),
      trove(['models', 'alias', 'fraud', 'champion', '1']),
      trove(['models', 'promote', 'fraud', '1', '--stage', 'production', '--no-review']),
      trove(['models', 'promote', 'fraud', '1']),
      trove(['runs', 'list', '-e', 'fraud', '--max-results', 'many']),
      trove(['models', 'list', '--tracking-uri', 'http://127.0.0.1:9']),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 3, 3, 4, 4, 1, 1, 5]);
    expect(results[5].stderr).toMatch(/^trove: .*review policy.*\nRequest it instead: trove models promote fraud/s);
    expect(results[6].stderr).toContain("protects stage 'production'");
    // The refused changes did not happen.
    const mv = await lead().ok('GET', '/api/2.0/mlflow/model-versions/get?name=fraud&version=1');
    expect(mv.model_version).toMatchObject({ current_stage: 'None' });
    expect(mv.model_version.aliases ?? []).toEqual([]);
  });

  it('promotes through a review: wait exits 0 after approval, 6 after rejection, 7 on timeout', async () => {
    const promoted = json(await trove(['models', 'promote', 'fraud', '1', '--stage', 'Production', '--json']));
    expect(promoted).toMatchObject({ outcome: 'requested', request: { status: 'pending', stage: 'Production' } });
    const approvedId = promoted.request.request_id;
    const requested = json(await trove(['review', 'request', 'fraud', '2', '--alias', 'champion', '--json']));
    const rejectedId = requested.request.request_id;
    const pending = await trove(['review', 'request', 'fraud', '3', '--stage', 'Production']);
    expect(pending.stdout).toMatch(
      /^Review request (\d+): fraud version 3 → stage Production: pending \(0\/1 approvals\)$/m,
    );
    const pendingId = /Review request (\d+)/.exec(pending.stdout)![1];

    await lead().ok('POST', `/api/trove/v1/registered-models/fraud/requests/${approvedId}/approve`, {});
    // The lead rejects through the CLI with MLflow's basic-auth variables.
    const reject = await trove(['review', 'reject', rejectedId, '--model', 'fraud', '--comment', 'drift'], {
      TROVE_TOKEN: '',
      MLFLOW_TRACKING_USERNAME: LEAD.username,
      MLFLOW_TRACKING_PASSWORD: LEAD.password,
    });
    expect(reject.stdout, reject.stderr).toContain(
      `Review request ${rejectedId}: fraud version 2 → alias @champion: rejected`,
    );

    const [approved, rejected, timedOut, unpolicied] = await Promise.all([
      trove(['review', 'wait', approvedId, '--model', 'fraud', '--json']),
      trove(['review', 'wait', rejectedId, '--model', 'fraud']),
      trove(['review', 'wait', pendingId, '--model', 'fraud', '--timeout', '1s', '--interval', '200ms', '--json']),
      trove(['models', 'promote', 'fraud', '2', '--stage', 'staging', '--json']),
    ]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ outcome: 'approved', request: { status: 'approved' } });
    expect(rejected.code).toBe(6);
    expect(rejected.stdout).toContain('rejected (0/1 approvals)');
    expect(timedOut.code).toBe(7);
    expect(JSON.parse(timedOut.stdout)).toMatchObject({ outcome: 'timed_out', request: { status: 'pending' } });
    expect(json(unpolicied)).toMatchObject({
      outcome: 'applied',
      model_version: { version: '2', current_stage: 'Staging' },
    });

    const v1 = await lead().ok('GET', '/api/2.0/mlflow/model-versions/get?name=fraud&version=1');
    expect(v1.model_version.current_stage).toBe('Production');
    const alias = await trove(['models', 'alias', 'fraud', 'candidate', '3']);
    expect(alias.stdout, alias.stderr).toContain('fraud@candidate → version 3');
  });

  it('puts and gets run artifacts (runs:/ paths too), and downloads model versions byte for byte', async () => {
    const local = join(dir, 'upload');
    mkdirSync(join(local, 'nested'), { recursive: true });
    const files = { 'a.txt': Buffer.from('hello\n'), 'nested/blob.bin': randomBytes(200_000) };
    for (const [p, b] of Object.entries(files)) writeFileSync(join(local, p), b);
    writeFileSync(join(dir, 'single.json'), '{"auc": 0.95}');

    const put = json(await trove(['artifacts', 'put', runIds.baseline, local, 'eval', '--json']));
    expect(put.files.map((f: any) => f.path)).toEqual(['eval/a.txt', 'eval/nested/blob.bin']);
    const single = await trove(['artifacts', 'put', `runs:/${runIds.baseline}/reports`, join(dir, 'single.json')]);
    expect(single.stdout, single.stderr).toMatch(/^reports\/single\.json +13$/m);

    const [ls, lsTable, got, gotFile, v1, v2, v3, staged] = await Promise.all([
      trove(['artifacts', 'ls', `runs:/${runIds.baseline}/eval`, '--recursive', '--json']),
      trove(['artifacts', 'ls', runIds.baseline]),
      trove(['artifacts', 'get', `runs:/${runIds.baseline}/eval`, '--dest', join(dir, 'got'), '--json']),
      trove(['artifacts', 'get', runIds.baseline, 'reports/single.json', '--dest', join(dir, 'got-file')]),
      trove(['models', 'download', 'fraud', '1', '--dest', join(dir, 'v1'), '--json']),
      trove(['models', 'download', 'fraud', '2', '--dest', join(dir, 'v2')]),
      trove(['models', 'download', 'fraud', '3', '--dest', join(dir, 'v3')]),
      trove(['models', 'download', 'fraud', '--stage', 'Staging', '--dest', join(dir, 'staged')]),
    ]);
    expect(json(ls).files.map((f: any) => [f.path, f.file_size])).toEqual([
      ['eval/a.txt', 6],
      ['eval/nested/blob.bin', 200_000],
    ]);
    expect(lsTable.stdout.trimEnd().split('\n')).toEqual([expect.stringMatching(/^PATH +BYTES$/), 'eval/', 'reports/']);
    expect(json(got).files).toHaveLength(2);
    for (const [p, b] of Object.entries(files)) expect(readFileSync(join(dir, 'got', p)).equals(b)).toBe(true);
    expect(gotFile.code, gotFile.stderr).toBe(0);
    expect(readFileSync(join(dir, 'got-file', 'single.json'), 'utf8')).toBe('{"auc": 0.95}');

    expect(json(v1)).toMatchObject({ name: 'fraud', version: '1' });
    for (const [result, dest] of [
      [v2, 'v2'],
      [v3, 'v3'],
      [staged, 'staged'],
    ] as const)
      expect(result.code, `${dest}: ${result.stderr}`).toBe(0);
    for (const dest of ['v1', 'v2', 'v3', 'staged'])
      for (const [p, b] of Object.entries(modelFiles))
        expect(readFileSync(join(dir, dest, ...p.split('/'))).equals(b), `${dest}/${p}`).toBe(true);
  });
});
