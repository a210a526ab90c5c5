import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_SKIP_REASON, type MotoServer, startMoto } from '../support/moto.ts';
import { freePort, type ServerProcess, spawnServer, stopServer } from '../support/process-server.ts';
import { parseBody } from '../support/server.ts';

const BUCKET = 'trove-http';
const PREFIX = 'team/mlartifacts';
const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
const API = '/api/2.0/mlflow';

/** VmRSS of a process in bytes, from /proc (Linux). */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

describe.skipIf(MOTO_SKIP_REASON !== undefined)('artifact proxy on S3 (moto): the MLflow client flow', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let server: ServerProcess;
  let dataDir: string;
  let exp: string;
  let run: string;
  let root: string;

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(server.url + path, init);
    return { status: res.status, body: parseBody(await res.text()), headers: res.headers };
  };
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, path, body);
    if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const put = (path: string, body: string, contentType = 'application/octet-stream') =>
    fetch(`${server.url}${PROXY}/${path}`, { method: 'PUT', body, headers: { 'content-type': contentType } });
  const objectKey = (path: string) => `${PREFIX}/${path}`;

  beforeAll(async () => {
    moto = await startMoto();
    s3 = moto.client();
    await moto.createBucket(BUCKET);
    dataDir = mkdtempSync(join(tmpdir(), 'trove-s3-http-'));
    server = await spawnServer(
      [
        '--backend-store-uri',
        join(dataDir, 'trove.db'),
        '--artifacts-destination',
        `s3://${BUCKET}/${PREFIX}`,
        '--log-level',
        'error',
      ],
      await freePort(),
      moto.env,
    );
    exp = (await ok('POST', `${API}/experiments/create`, { name: 's3-artifacts' })).experiment_id;
    run = (await ok('POST', `${API}/runs/create`, { experiment_id: exp, start_time: Date.now() })).run.info.run_id;
    root = `${exp}/${run}/artifacts`;
  });
  afterAll(async () => {
    await stopServer(server);
    await moto?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads into the bucket, lists, downloads whole and by range, and deletes', async () => {
    expect((await ok('GET', `${API}/runs/get?run_id=${run}`)).run.info.artifact_uri).toBe(`mlflow-artifacts:/${root}`);
    expect((await put(`${root}/dir/file.txt`, 'hello artifact', 'text/plain')).status).toBe(200);
    expect((await put(`${root}/metrics.json`, '{"a": 1}', 'application/json')).status).toBe(200);
    expect((await put(`${root}/model/MLmodel`, 'flavors: {}')).status).toBe(200);

    // The objects sit under the configured prefix, byte for byte.
    const obj = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: objectKey(`${root}/dir/file.txt`) }));
    expect(await obj.Body?.transformToString()).toBe('hello artifact');

    expect((await call('GET', `${PROXY}?path=${root}`)).body).toEqual({
      files: [
        { path: 'dir', is_dir: true },
        { path: 'metrics.json', is_dir: false, file_size: 8 },
        { path: 'model', is_dir: true },
      ],
    });
    expect((await call('GET', `${PROXY}?path=${root}/dir/file.txt`)).body).toEqual({});
    expect((await call('GET', `${PROXY}?path=${root}/missing`)).body).toEqual({});
    expect(await ok('GET', `${API}/artifacts/list?run_id=${run}&path=model`)).toEqual({
      root_uri: `mlflow-artifacts:/${root}`,
      files: [{ path: 'model/MLmodel', is_dir: false, file_size: 11 }],
    });

    const whole = await fetch(`${server.url}${PROXY}/${root}/dir/file.txt`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe('14');
    expect(await whole.text()).toBe('hello artifact');

    const part = await fetch(`${server.url}${PROXY}/${root}/dir/file.txt`, { headers: { range: 'bytes=6-13' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 6-13/14');
    expect(await part.text()).toBe('artifact');
    const tail = await fetch(`${server.url}/get-artifact?run_id=${run}&path=dir/file.txt`, {
      headers: { range: 'bytes=-3' },
    });
    expect([tail.status, await tail.text()]).toEqual([206, 'act']);
    const beyond = await fetch(`${server.url}${PROXY}/${root}/dir/file.txt`, { headers: { range: 'bytes=100-' } });
    expect([beyond.status, beyond.headers.get('content-range')]).toEqual([416, 'bytes */14']);

    const missing = await call('GET', `${PROXY}/${root}/nope.txt`);
    expect([missing.status, missing.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    const dirAsFile = await call('GET', `${PROXY}/${root}/dir`);
    expect([dirAsFile.status, dirAsFile.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);

    expect((await call('DELETE', `${PROXY}/${root}/dir`)).status).toBe(200);
    expect((await call('GET', `${PROXY}?path=${root}`)).body.files.map((f: { path: string }) => f.path)).toEqual([
      'metrics.json',
      'model',
    ]);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: objectKey(`${root}/dir/`) }));
    expect(left.KeyCount ?? 0).toBe(0);
  });

  it('refuses hostile paths before they reach the bucket', async () => {
    for (const path of [`${root}/..%2f..%2fescape.txt`, `${root}/a%5cb`]) {
      const res = await fetch(`${server.url}${PROXY}/${path}`, { method: 'PUT', body: 'x' });
      expect(res.status, path).toBe(400);
    }
    const all = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect((all.Contents ?? []).every((o) => o.Key?.startsWith(`${PREFIX}/`))).toBe(true);
  });

  it('leaves runs whose artifact root the client reaches itself (s3://) to the client', async () => {
    const other = (
      await ok('POST', `${API}/experiments/create`, {
        name: 'direct-s3',
        artifact_location: 's3://someone-elses-bucket/mlruns',
      })
    ).experiment_id;
    const direct = (await ok('POST', `${API}/runs/create`, { experiment_id: other, start_time: Date.now() })).run.info;
    expect(direct.artifact_uri).toBe(`s3://someone-elses-bucket/mlruns/${direct.run_id}/artifacts`);
    expect(await ok('GET', `${API}/artifacts/list?run_id=${direct.run_id}`)).toEqual({ root_uri: direct.artifact_uri });
    const read = await call('GET', `/get-artifact?run_id=${direct.run_id}&path=model/MLmodel`);
    expect([read.status, read.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });

  it('streams a large upload to S3 in parts without holding it in memory', async () => {
    // 160 MiB against a bound of 96 MiB: the server's RSS carries a fixed overhead (the SDK,
    // sockets, up to ~64 MiB of not-yet-collected part buffers) that does not grow with the body.
    const size = 160 * 1024 * 1024;
    const chunk = 1024 * 1024;
    // Warm-up (SDK loaded, sockets and allocator arenas in place), so the sample sees the upload itself.
    expect((await put(`${root}/big/warmup.bin`, 'x'.repeat(12 * 1024 * 1024))).status).toBe(200);
    const pool = Array.from({ length: 4 }, (_, i) => Buffer.alloc(chunk, 17 + i));
    const expected = createHash('sha256');
    let produced = 0;
    const body = new Readable({
      read() {
        if (produced >= size) return this.push(null);
        const c = pool[(produced / chunk) % pool.length];
        expected.update(c);
        produced += c.length;
        this.push(c);
      },
    });
    const pid = server.child.pid as number;
    const before = rssOf(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(pid));
    }, 20);
    const { port } = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: Number(port),
          method: 'PUT',
          path: `${PROXY}/${root}/big/weights.bin`,
          headers: { 'content-type': 'application/octet-stream', 'content-length': size },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      pipeline(body, req).catch(reject);
    }).finally(() => clearInterval(sampler));
    expect(status).toBe(200);
    // A buffered body would add 160 MiB; parts of 5 MiB, two in flight, plus GC slack stay far below.
    console.log(`[artifacts-s3] server RSS during a ${size >> 20} MiB upload: ${before >> 20} → ${peak >> 20} MiB`);
    expect(peak - before, `server RSS grew from ${before >> 20} to ${peak >> 20} MiB`).toBeLessThan(96 * 1024 * 1024);

    // S3 holds it as a multipart object (ETag "<md5>-<parts>"), whole and intact.
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: objectKey(`${root}/big/weights.bin`) }));
    expect(head.ContentLength).toBe(size);
    expect(head.ETag).toMatch(/-\d+"$/);
    const res = await fetch(`${server.url}${PROXY}/${root}/big/weights.bin`);
    expect(res.headers.get('content-length')).toBe(String(size));
    const actual = createHash('sha256');
    for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) actual.update(c);
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
    const last = await fetch(`${server.url}${PROXY}/${root}/big/weights.bin`, {
      headers: { range: `bytes=${size - 4}-` },
    });
    expect(Buffer.from(await last.arrayBuffer())).toEqual(pool[(size / chunk - 1) % pool.length].subarray(0, 4));
  }, 120_000);
});
