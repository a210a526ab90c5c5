import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type ServerProcess, spawnServer } from '../support/process-server.ts';

let dir: string;
let server: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trove-shutdown-'));
  server = await spawnServer(
    [
      '--backend-store-uri',
      join(dir, 'trove.db'),
      '--artifacts-destination',
      join(dir, 'artifacts'),
      '--log-level',
      'info',
    ],
    await freePort(),
  );
});

afterAll(() => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A PUT whose body trickles in over `chunks * gapMs`; resolves with the status once answered. */
function slowPut(
  url: string,
  chunks: number,
  gapMs: number,
  onStarted: () => void,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    let sent = 0;
    const tick = () => {
      req.write(`chunk-${sent}\n`);
      if (++sent === 1) onStarted();
      if (sent < chunks) setTimeout(tick, gapMs);
      else req.end();
    };
    tick();
  });
}

describe('operations of a server process', () => {
  it('logs JSON lines carrying the request id and echoes it', async () => {
    const res = await fetch(`${server.url}/api/2.0/mlflow/experiments/search?max_results=1`, {
      headers: { 'x-request-id': 'req-from-client-42' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-from-client-42');
    await new Promise((r) => setTimeout(r, 200));
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.includes('req-from-client-42'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ reqId: 'req-from-client-42' });
  });

  it('finishes a request in flight when SIGTERM arrives, then exits 0', async () => {
    const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
    let signalled = false;
    const upload = slowPut(`${server.url}/api/2.0/mlflow-artifacts/artifacts/shutdown/slow.txt`, 10, 150, () => {
      // SIGTERM while the body is still arriving.
      setTimeout(() => {
        signalled = true;
        server.child.kill('SIGTERM');
      }, 200);
    });
    const res = await upload;
    expect(signalled).toBe(true);
    expect(res.status).toBe(200);
    expect(await exited).toBe(0);
    const expected = Array.from({ length: 10 }, (_, i) => `chunk-${i}\n`).join('');
    expect(readFileSync(join(dir, 'artifacts', 'shutdown', 'slow.txt'), 'utf8')).toBe(expected);
  });
});
