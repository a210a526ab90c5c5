import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, as, basic, createUser, startAuthServer } from '../support/auth-server.ts';
import type { TestServer } from '../support/server.ts';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../packages/cli/bin/trove.js');

let server: TestServer;
let token = '';

beforeAll(async () => {
  server = await startAuthServer();
  const admin = as(server, basic(ADMIN));
  await admin.ok('POST', '/api/2.0/mlflow/registered-models/create', { name: 'ranker' });
  await admin.ok('POST', '/api/2.0/mlflow/model-versions/create', { name: 'ranker', source: 's3://b/ranker' });
  const cd = { username: 'cd', password: 'cd-pass-1' };
  await createUser(server, cd, { default: 'editor' });
  token = (await as(server, basic(cd)).ok('POST', '/api/trove/v1/auth/tokens', { name: 'pipeline' })).token;
});
afterAll(() => server?.close());

const trove = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [CLI, ...args], { env: { ...process.env, MLFLOW_TRACKING_URI: '', ...env } });

// The pipeline's "record the deployment" step (docs/ci-pipeline-guide.md), as a CD job runs it.
describe('trove deployments', { timeout: 120_000 }, () => {
  it('records with TROVE_TOKEN against --tracking-uri, then lists', async () => {
    const recorded = await trove(
      ['deployments', 'record', '--model', 'ranker', '--version', '1', '--env', 'prod', '--url', 'https://r.example'],
      { TROVE_TOKEN: token, MLFLOW_TRACKING_URI: server.url },
    );
    expect(recorded.stdout).toMatch(/Recorded deployment \d+: ranker version 1 → prod \(running\)/);
    const listed = await trove(['deployments', 'list', '--model', 'ranker', '--tracking-uri', server.url], {
      TROVE_TOKEN: token,
    });
    const rows = listed.stdout.trim().split('\n');
    expect(rows[0]).toBe('environment\tversion\tstatus\ttime\tuser\turl\tcurrent');
    expect(rows[1]).toMatch(/^prod\t1\trunning\t\d{4}-\d\d-\d\dT[^\t]+\tcd\thttps:\/\/r\.example\tcurrent$/);
  });

  it('fails with the server’s message without a token', async () => {
    await expect(
      trove([
        'deployments',
        'record',
        '--model',
        'ranker',
        '--version',
        '1',
        '--env',
        'prod',
        '--tracking-uri',
        server.url,
      ]),
    ).rejects.toThrow(/authenticated/i);
  });
});
