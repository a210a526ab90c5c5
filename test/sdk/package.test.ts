import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.ts';

const exec = promisify(execFile);
const SDK = resolve(import.meta.dirname, '../../packages/sdk');

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

// The published shape: `npm run build -w packages/sdk`, then `npm install` of the built package in a
// project outside the workspace, imported by plain Node (no TypeScript loader).
describe('@trove/sdk as a package', { timeout: 180_000 }, () => {
  it('builds, installs into another project and logs a run from plain Node', async () => {
    await exec(process.execPath, [join(SDK, 'scripts/build.mjs')]);
    expect(existsSync(join(SDK, 'dist/types/sdk/src/index.d.ts'))).toBe(true);
    const project = mkdtempSync(join(tmpdir(), 'trove-sdk-consumer-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', join(SDK, 'dist')], { cwd: project });
    writeFileSync(
      join(project, 'train.js'),
      `import { startRun, TrackingClient } from '@trove/sdk';
const client = new TrackingClient({ trackingUri: process.argv[2] });
const run = await startRun(client, { experimentName: 'from-a-package' });
for (let step = 0; step < 3; step++) await run.log({ metrics: { loss: 1 / (step + 1) }, step });
const image = await run.logImage('sample', 2, new Uint8Array([137, 80, 78, 71]));
await run.end();
console.log(JSON.stringify({ runId: run.runId, image }));
`,
    );
    const out = JSON.parse((await exec(process.execPath, ['train.js', server.url], { cwd: project })).stdout);
    const { body } = await server.call('GET', `/api/2.0/mlflow/runs/get?run_id=${out.runId}`);
    expect(body.run.info.status).toBe('FINISHED');
    expect(body.run.data.metrics).toEqual([expect.objectContaining({ key: 'loss', value: 1 / 3, step: 2 })]);
    expect(out.image).toMatch(/^images\/sample%step%02%/);
  });
});
