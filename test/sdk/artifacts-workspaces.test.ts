import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { artifactUrl, startRun, TrackingClient, TroveError } from '@trove/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let client: TrackingClient;
let dir: string;

beforeAll(async () => {
  server = await startServer();
  client = new TrackingClient({ trackingUri: server.url, retry: { maxAttempts: 1 } });
  dir = mkdtempSync(join(tmpdir(), 'trove-sdk-'));
  expect((await server.call('POST', '/api/trove/v1/workspaces', { name: 'team-a' })).status).toBe(200);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
});

describe('artifacts', () => {
  it('uploads a Buffer, text, a Node stream, a web stream and a file; lists and downloads them', async () => {
    const runId = (await client.createRun({})).info.run_id;
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await client.uploadArtifact(runId, 'bin/data.bin', bytes);
    await client.uploadArtifact(runId, 'notes/readme.txt', 'hello');
    await client.uploadArtifact(
      runId,
      'streams/node.txt',
      Readable.from([Buffer.from('node '), Buffer.from('stream')]),
    );
    await client.uploadArtifact(runId, 'streams/web.txt', new Blob(['web stream']).stream());
    const local = join(dir, 'metrics.json');
    writeFileSync(local, '{"a": 1}');
    expect(await client.logArtifact(runId, local, 'reports/')).toBe('reports/metrics.json');
    expect(await client.logArtifact(runId, local)).toBe('metrics.json');

    const root = await client.listArtifacts(runId);
    expect(root.map((f) => [f.path, f.is_dir]).sort()).toEqual([
      ['bin', true],
      ['metrics.json', false],
      ['notes', true],
      ['reports', true],
      ['streams', true],
    ]);
    expect(await client.listArtifacts(runId, 'streams')).toEqual([
      { path: 'streams/node.txt', is_dir: false, file_size: 11 },
      { path: 'streams/web.txt', is_dir: false, file_size: 10 },
    ]);
    expect(await client.downloadArtifact(runId, 'bin/data.bin')).toEqual(bytes);
    expect((await client.downloadArtifact(runId, 'streams/node.txt')).toString()).toBe('node stream');
    expect((await client.downloadArtifact(runId, 'reports/metrics.json')).toString()).toBe('{"a": 1}');
    const out = join(dir, 'out.txt');
    await client.downloadArtifactToFile(runId, 'notes/readme.txt', out);
    expect(readFileSync(out, 'utf8')).toBe('hello');

    await client.uploadArtifact(runId, 'notes/readme.txt', 'overwritten');
    expect((await client.downloadArtifact(runId, 'notes/readme.txt')).toString()).toBe('overwritten');
    const missing = await client.downloadArtifact(runId, 'nope.txt').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TroveError);
    expect((missing as TroveError).code).toBe('RESOURCE_DOES_NOT_EXIST');
    await expect(client.logArtifact(runId, join(dir, 'absent.txt'))).rejects.toThrow(/ENOENT/);
  });

  it('resolves artifact URIs the way the MLflow client does', () => {
    const ws = new TrackingClient({ trackingUri: 'http://h:5000/w/team-a' }).http;
    expect(artifactUrl(ws, 'mlflow-artifacts:/3/abc/artifacts', 'a b/c.txt')).toBe(
      'http://h:5000/w/team-a/api/2.0/mlflow-artifacts/artifacts/3/abc/artifacts/a%20b/c.txt',
    );
    expect(artifactUrl(ws, 'mlflow-artifacts://other:81/3/x', 'f')).toBe(
      'http://other:81/api/2.0/mlflow-artifacts/artifacts/3/x/f',
    );
    expect(artifactUrl(ws, 'https://store/api/2.0/mlflow-artifacts/artifacts/3/x/', 'f')).toBe(
      'https://store/api/2.0/mlflow-artifacts/artifacts/3/x/f',
    );
    expect(() => artifactUrl(ws, 's3://bucket/3/x', 'f')).toThrow(TroveError);
  });
});

describe('workspaces', () => {
  it('addresses a workspace through a /w/<name> tracking URI or the workspace option', async () => {
    const viaUri = new TrackingClient({ trackingUri: `${server.url}/w/team-a` });
    const viaOption = new TrackingClient({ trackingUri: server.url, workspace: 'team-a' });
    const id = await viaUri.createExperiment('ws-only');
    expect((await viaOption.getExperimentByName('ws-only')).experiment_id).toBe(id);
    await expect(client.getExperimentByName('ws-only')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });

    const run = await startRun(viaUri, { experimentName: 'ws-only', runName: 'ws-run', flushIntervalMs: 0 });
    run.log({ metrics: { loss: 0.5 }, step: 1 });
    await run.logParams({ model: { depth: 3 } });
    await viaUri.uploadArtifact(run.runId, 'model.txt', 'weights');
    await run.end();
    expect((await viaOption.downloadArtifact(run.runId, 'model.txt')).toString()).toBe('weights');
    expect((await viaOption.getMetricHistory(run.runId, 'loss')).map((m) => m.value)).toEqual([0.5]);
    expect((await viaOption.getRun(run.runId)).info.status).toBe('FINISHED');
    await expect(client.getRun(run.runId)).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    const missing = new TrackingClient({ trackingUri: server.url, workspace: 'nope', retry: { maxAttempts: 1 } });
    await expect(missing.searchExperiments()).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });
});
