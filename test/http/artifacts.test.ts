import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { mlflowClientView } from '@trove/artifacts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArtifactTestServer, startArtifactServer } from '../support/artifact-server.ts';
import { mlflow } from '../support/server.ts';

let server: ArtifactTestServer;
let api: ReturnType<typeof mlflow>;
let exp: string;
let run: string;
let root: string;
const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

beforeAll(async () => {
  server = await startArtifactServer();
  api = mlflow(server);
  exp = await api.createExperiment('artifacts');
  run = await api.createRun(exp);
  root = `${exp}/${run}/artifacts`;
});
afterAll(() => server.close());

const put = (path: string, body: BodyInit, contentType = 'application/octet-stream') =>
  fetch(`${server.url}${PROXY}/${path}`, {
    method: 'PUT',
    body,
    headers: { 'content-type': contentType },
    duplex: 'half',
  } as RequestInit);
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

describe('artifact proxy: the MLflow client flow', () => {
  it('uploads, lists, downloads (whole and by range) and deletes', async () => {
    const run0 = (await api.ok('GET', `/runs/get?run_id=${run}`)).run;
    expect(run0.info.artifact_uri).toBe(`mlflow-artifacts:/${root}`);
    const up = await put(`${root}/dir/file.txt`, 'hello artifact', 'text/plain');
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({});
    // The client labels .json files application/json: the body must still arrive as bytes.
    expect((await put(`${root}/metrics.json`, '{"a": 1}', 'application/json')).status).toBe(200);
    expect((await put(`${root}/model/MLmodel`, 'flavors: {}')).status).toBe(200);

    expect((await server.call('GET', `${PROXY}?path=${root}`)).body).toEqual({
      files: [
        { path: 'dir', is_dir: true },
        { path: 'metrics.json', is_dir: false, file_size: 8 },
        { path: 'model', is_dir: true },
      ],
    });
    expect((await server.call('GET', `${PROXY}?path=${root}/dir`)).body).toEqual({
      files: [{ path: 'file.txt', is_dir: false, file_size: 14 }],
    });
    expect((await server.call('GET', `${PROXY}?path=${root}/dir/file.txt`)).body).toEqual({});
    expect((await server.call('GET', `${PROXY}?path=${root}/missing`)).body).toEqual({});
    expect(
      (await server.call('GET', `/ajax-api/2.0/mlflow-artifacts/artifacts?path=${root}/dir`)).body.files,
    ).toHaveLength(1);

    const listed = await api.ok('GET', `/artifacts/list?run_id=${run}&path=model`);
    expect(listed).toEqual({
      root_uri: `mlflow-artifacts:/${root}`,
      files: [{ path: 'model/MLmodel', is_dir: false, file_size: 11 }],
    });
    expect((await api.ok('GET', `/artifacts/list?run_uuid=${run}`)).files.map((f: { path: string }) => f.path)).toEqual(
      ['dir', 'metrics.json', 'model'],
    );

    const whole = await get(`${PROXY}/${root}/dir/file.txt`);
    expect(whole.status).toBe(200);
    expect(
      Object.fromEntries(
        ['content-type', 'content-length', 'accept-ranges', 'content-disposition', 'x-content-type-options'].map(
          (h) => [h, whole.headers.get(h)],
        ),
      ),
    ).toEqual({
      'content-type': 'text/plain',
      'content-length': '14',
      'accept-ranges': 'bytes',
      'content-disposition': 'attachment; filename=file.txt',
      'x-content-type-options': 'nosniff',
    });
    expect(await whole.text()).toBe('hello artifact');
    expect(await (await get(`${PROXY}/${root}/metrics.json`)).text()).toBe('{"a": 1}');

    const part = await get(`${PROXY}/${root}/dir/file.txt`, { range: 'bytes=0-4' });
    expect([
      part.status,
      part.headers.get('content-range'),
      part.headers.get('content-length'),
      await part.text(),
    ]).toEqual([206, 'bytes 0-4/14', '5', 'hello']);
    expect(await (await get(`${PROXY}/${root}/dir/file.txt`, { range: 'bytes=-8' })).text()).toBe('artifact');
    expect(await (await get(`${PROXY}/${root}/dir/file.txt`, { range: 'bytes=6-' })).text()).toBe('artifact');
    const multi = await get(`${PROXY}/${root}/dir/file.txt`, { range: 'bytes=0-1,3-4' });
    expect([multi.status, await multi.text()]).toEqual([200, 'hello artifact']);
    const beyond = await get(`${PROXY}/${root}/dir/file.txt`, { range: 'bytes=100-' });
    expect([beyond.status, beyond.headers.get('content-range'), (await beyond.json()).error_code]).toEqual([
      416,
      'bytes */14',
      'INVALID_PARAMETER_VALUE',
    ]);
    const head = await fetch(`${server.url}${PROXY}/${root}/dir/file.txt`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '14', '']);

    for (const missing of [`${root}/nope.txt`, `${root}/dir`]) {
      const res = await server.call('GET', `${PROXY}/${missing}`);
      expect([res.status, res.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    }
    expect((await server.call('DELETE', `${PROXY}/${root}/dir/file.txt`)).body).toEqual({});
    expect((await server.call('GET', `${PROXY}/${root}/dir/file.txt`)).status).toBe(404);
    expect((await server.call('DELETE', `${PROXY}/${root}/model`)).status).toBe(200);
    expect((await api.ok('GET', `/artifacts/list?run_id=${run}`)).files.map((f: { path: string }) => f.path)).toEqual([
      'dir',
      'metrics.json',
    ]);
  });

  it('serves the /w/<workspace> and /ajax-api variants, guesses media types, encodes odd names', async () => {
    expect(
      (await fetch(`${server.url}/w/default${PROXY}/${root}/img/plot.png`, { method: 'PUT', body: 'png' })).status,
    ).toBe(200);
    const png = await get(`/ajax-api/2.0/mlflow-artifacts/artifacts/${root}/img/plot.png`);
    expect([png.status, png.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect((await put(`${root}/r%C3%A9sum%C3%A9%20final.pkl`, 'x')).status).toBe(200);
    const odd = await get(`${PROXY}/${root}/r%C3%A9sum%C3%A9%20final.pkl`);
    expect([odd.headers.get('content-type'), odd.headers.get('content-disposition')]).toEqual([
      'application/octet-stream',
      `attachment; filename="r_sum_ final.pkl"; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.pkl`,
    ]);
    expect((await server.call('GET', `/w/nope${PROXY}/${root}/img/plot.png`)).status).toBe(404);
  });

  it('answers multipart upload on local disk with the exact NOT_IMPLEMENTED message the client falls back on', async () => {
    const bodies: Record<string, unknown> = {
      create: { path: '/tmp/big.bin', num_parts: 3 },
      complete: { path: '/tmp/big.bin', upload_id: 'u', parts: [{ part_number: 1, etag: '"e"' }] },
      abort: { path: '/tmp/big.bin', upload_id: 'u' },
    };
    for (const [step, body] of Object.entries(bodies)) {
      const res = await server.call('POST', `/api/2.0/mlflow-artifacts/mpu/${step}/${root}/dir`, body);
      expect([res.status, res.body]).toEqual([
        501,
        {
          error_code: 'NOT_IMPLEMENTED',
          message: 'Multipart upload is not supported for the current artifact repository',
        },
      ]);
      // As in MLflow, the request is checked before the store's support: a bad path or body is still a 400.
      const bad = await server.call('POST', `/api/2.0/mlflow-artifacts/mpu/${step}/${root}/..%2f..%2fx`, body);
      expect([bad.status, bad.body.error_code], step).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      const noPath = await server.call('POST', `/api/2.0/mlflow-artifacts/mpu/${step}/${root}/dir`, {});
      expect([noPath.status, noPath.body.error_code], step).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    }
  });

  it('streams a 20 MB upload and download', async () => {
    const size = 20 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 'abcdefghij');
    const sent = createHash('sha256');
    let produced = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced >= size) return controller.close();
        const next = Uint8Array.from(chunk.map((b) => b ^ (produced >> 20)));
        sent.update(next);
        produced += next.length;
        controller.enqueue(next);
      },
    });
    expect((await put(`${root}/big/blob.bin`, body)).status).toBe(200);
    const res = await get(`${PROXY}/${root}/big/blob.bin`);
    expect(res.headers.get('content-length')).toBe(String(size));
    expect(
      createHash('sha256')
        .update(Buffer.from(await res.arrayBuffer()))
        .digest('hex'),
    ).toBe(sent.digest('hex'));
    const tail = await get(`${PROXY}/${root}/big/blob.bin`, { range: `bytes=${size - 10}-` });
    expect([tail.status, (await tail.arrayBuffer()).byteLength]).toEqual([206, 10]);
  });
});

describe('interrupted and oversized uploads', () => {
  it('leaves no partial file when the client disconnects mid-upload', async () => {
    const { port } = new URL(server.url);
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port: Number(port),
        method: 'PUT',
        path: `${PROXY}/${root}/cut/half.bin`,
        headers: { 'content-length': String(1 << 20) },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(100_000), () => setTimeout(() => req.destroy(), 50));
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(readdirSync(join(server.artifactsDir, root, 'cut'))).toEqual([]);
    expect((await get('/health')).status).toBe(200);
  });

  it('rejects a chunked upload-artifact body past 10 MB and keeps nothing', async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull: (c) => (sent++ >= 11 ? c.close() : c.enqueue(new Uint8Array(1 << 20))),
    });
    const res = await fetch(`${server.url}/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run}&path=chunked/big.bin`, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect([res.status, (await res.json()).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(readdirSync(join(server.artifactsDir, root, 'chunked'))).toEqual([]);
  });

  it('refuses to write a file over a directory or below a file', async () => {
    await put(`${root}/plain.txt`, 'x');
    expect((await put(`${root}/plain.txt/below`, 'x')).status).toBe(400);
    expect((await put(root, 'x')).status).toBe(400);
  });
});

describe('workspace scoping of the proxy', () => {
  it("keeps one workspace out of another workspace's experiment artifacts", async () => {
    await server.call('POST', '/api/trove/v1/workspaces', { name: 'other' });
    expect((await put(`${root}/secret.txt`, 'mine')).status).toBe(200);
    const foreign = `/w/other${PROXY}/${root}/secret.txt`;
    expect((await get(foreign)).status).toBe(404);
    expect((await fetch(`${server.url}${foreign}`, { method: 'PUT', body: 'overwrite' })).status).toBe(404);
    expect((await fetch(`${server.url}${foreign}`, { method: 'DELETE' })).status).toBe(404);
    expect((await get(`/w/other${PROXY}?path=${exp}`)).status).toBe(404);
    expect(await (await get(`${PROXY}/${root}/secret.txt`)).text()).toBe('mine');
  });

  it('accepts file names with a lone percent sign, as MLflow does', async () => {
    expect((await put(`${root}/100%25.txt`, 'full')).status).toBe(200);
    expect(await (await get(`${PROXY}/${root}/100%25.txt`)).text()).toBe('full');
  });
});

describe('UI artifact routes', () => {
  it('uploads through upload-artifact (≤ 10 MB) and reads back through get-artifact', async () => {
    const up = await server.call(
      'POST',
      `/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run}&path=ui/notes.json`,
      '{"note": true}',
      { 'content-type': 'application/json' },
    );
    expect(up.status).toBe(200);
    const file = await get(`/get-artifact?run_id=${run}&path=ui/notes.json`);
    expect([file.status, await file.text()]).toEqual([200, '{"note": true}']);
    const ranged = await get(`/w/default/get-artifact?run_uuid=${run}&path=ui/notes.json`, { range: 'bytes=2-5' });
    expect([ranged.status, await ranged.text()]).toEqual([206, 'note']);
    const big = await server.call(
      'POST',
      `/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run}&path=ui/big.bin`,
      'x'.repeat(10 * 1024 * 1024 + 1),
      {
        'content-type': 'application/octet-stream',
      },
    );
    expect([big.status, big.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect((await api.ok('GET', `/artifacts/list?run_id=${run}&path=ui`)).files).toEqual([
      { path: 'ui/notes.json', is_dir: false, file_size: 14 },
    ]);
    expect((await server.call('GET', `/get-artifact?run_id=${'0'.repeat(32)}&path=x`)).status).toBe(404);
    expect(
      (
        await server.call('POST', `/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${'0'.repeat(32)}&path=x`, 'x', {
          'content-type': 'text/plain',
        })
      ).status,
    ).toBe(404);
  });

  it('lists and serves logged-model artifacts', async () => {
    const model = (await api.ok('POST', '/logged-models', { experiment_id: exp, name: 'clf' })).model.info;
    const modelRoot = `${exp}/models/${model.model_id}/artifacts`;
    expect(model.artifact_uri).toBe(`mlflow-artifacts:/${modelRoot}`);
    await put(`${modelRoot}/MLmodel`, 'flavors: {}');
    await put(`${modelRoot}/data/model.pkl`, 'pickle');
    const base = `/api/2.0/mlflow/logged-models/${model.model_id}/artifacts`;
    expect((await server.call('GET', `${base}/directories`)).body).toEqual({
      root_uri: model.artifact_uri,
      files: [
        { path: 'MLmodel', is_dir: false, file_size: 11 },
        { path: 'data', is_dir: true },
      ],
    });
    expect((await server.call('GET', `${base}/directories?artifact_directory_path=data`)).body.files).toEqual([
      { path: 'data/model.pkl', is_dir: false, file_size: 6 },
    ]);
    const file = await get(
      `/ajax-api/2.0/mlflow/logged-models/${model.model_id}/artifacts/files?artifact_file_path=data/model.pkl`,
    );
    expect([file.status, await file.text()]).toEqual([200, 'pickle']);
    const missingParam = await server.call(
      'GET',
      `/ajax-api/2.0/mlflow/logged-models/${model.model_id}/artifacts/files`,
    );
    expect([missingParam.status, missingParam.body.error_code]).toEqual([400, 'BAD_REQUEST']);
    const unknown = await server.call('GET', `/api/2.0/mlflow/logged-models/m-${'0'.repeat(32)}/artifacts/directories`);
    expect([unknown.status, unknown.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
  });
});

describe("MLflow log_image names, as MLflow's Python client sends and reads them", () => {
  // What `requests` sends for a name holding an invalid escape (`%st`): every '%' as %25.
  const clientUrl = (name: string) => name.replaceAll('%', '%25');
  const name = (lead: string, step = 12) =>
    `images/loss%step%${step}%timestamp%1765000000000%${lead}4f1c2a-8d7e-4b6a-9c1d-0e2f3a4b5c6d.png`;

  it("uploads, lists and downloads every uuid lead the client writes but %23, which it refuses to list (as MLflow's server refuses it)", async () => {
    const leads = ['2e', '2f', '5c', '0a', '0d', '3b', 'ab'];
    for (const lead of leads)
      expect((await put(`${root}/${clientUrl(name(lead))}`, `png-${lead}`)).status, lead).toBe(200);
    const listed = (await server.call('GET', `${PROXY}?path=${root}/images`)).body.files.map(
      (f: { path: string }) => f.path,
    );
    expect(listed.sort()).toEqual(leads.map((l) => name(l).slice('images/'.length)).sort());
    for (const lead of leads) {
      // The client decodes each listed name until it stops changing and asks for that (requests then quotes it).
      const decoded = mlflowClientView(name(lead));
      const res = await get(`${PROXY}/${root}/${decoded.split('/').map(encodeURIComponent).join('/')}`);
      expect([res.status, await res.text()], lead).toEqual([200, `png-${lead}`]);
      const viaRun = await get(`/get-artifact?run_id=${run}&path=${encodeURIComponent(decoded)}`);
      expect([viaRun.status, await viaRun.text()], lead).toEqual([200, `png-${lead}`]);
    }
    for (const refused of [name('23'), name('ab', 23)]) {
      const res = await put(`${root}/${clientUrl(refused)}`, 'x');
      expect([res.status, await res.json()], refused).toEqual([
        400,
        { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' },
      ]);
    }
  });
});

describe('model-versions/get-artifact', () => {
  it('serves a file of a version through its download URI (runs:/ and mlflow-artifacts:), refuses traversal as MLflow words it', async () => {
    expect((await put(`${root}/mv/MLmodel`, 'flavors: {python_function: {}}')).status).toBe(200);
    await api.ok('POST', '/registered-models/create', { name: 'mv-files' });
    await api.ok('POST', '/model-versions/create', { name: 'mv-files', source: `runs:/${run}/mv`, run_id: run });
    await api.ok('POST', '/model-versions/create', {
      name: 'mv-files',
      source: `mlflow-artifacts:/${root}/mv`,
      run_id: run,
    });
    for (const version of ['1', '2']) {
      const res = await get(`/model-versions/get-artifact?name=mv-files&version=${version}&path=MLmodel`);
      expect([res.status, await res.text()], version).toEqual([200, 'flavors: {python_function: {}}']);
    }
    const bad = await server.call('GET', '/model-versions/get-artifact?name=mv-files&version=1&path=../path');
    expect([bad.status, bad.body]).toEqual([400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' }]);
    expect((await server.call('GET', '/model-versions/get-artifact?name=mv-files&version=9&path=MLmodel')).status).toBe(
      404,
    );
  });
});

describe('hostile artifact paths', () => {
  it("refuses a double-encoded traversal with MLflow's 400 (its client would read it as ..), and writes nothing", async () => {
    const res = await server.raw('PUT', `${PROXY}/${exp}/lit/%252e%252e/%252e%252e/x.txt`, 'x');
    expect([res.status, res.body]).toEqual([400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' }]);
    expect((await server.call('GET', `${PROXY}?path=${exp}/lit`)).body).toEqual({});
  });

  const HOSTILE_TAILS = [
    '%252e%252e/%252e%252e/etc/passwd',
    'x/../../../../etc/passwd',
    '..%2f..%2f..%2fetc%2fpasswd',
    '%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/etc/passwd',
    '%2Fetc%2Fpasswd',
    'C:%5CWindows%5Cwin.ini',
    'C:/Windows/win.ini',
    'a\\..\\..\\b',
    'a%5C..%5C..%5Cb',
    '%5C%5Cserver%5Cshare%5Cx',
    'file%23frag.txt',
    'file;jsessionid=1.txt',
    'file%3Bx.txt',
    'file%00.txt',
    'a%0D%0ASet-Cookie:%20x=1',
    '%EF%BC%8E%EF%BC%8E/%EF%BC%8E%EF%BC%8E/etc/passwd',
  ];
  const expectRejected = (res: { status: number; body: any; text: string }, what: string) => {
    expect(res.status, what).toBeGreaterThanOrEqual(400);
    expect(res.status, what).toBeLessThan(500);
    expect(typeof res.body.error_code, what).toBe('string');
    expect(res.text, what).not.toMatch(/root:/);
  };

  it.each(HOSTILE_TAILS)('rejects %s on every proxy method and query parameter', async (tail) => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await server.raw(method, `${PROXY}/${tail}`, method === 'PUT' ? 'pwned' : undefined);
      expectRejected(res, `${method} ${tail}`);
      // A read may name what a write may not (MLflow's client asks for names as it decoded them): nothing is there.
      expect(res.body.error_code).toMatch(
        method === 'GET' ? /^(INVALID_PARAMETER_VALUE|RESOURCE_DOES_NOT_EXIST)$/ : /^INVALID_PARAMETER_VALUE$/,
      );
    }
    expectRejected(await server.raw('GET', `/get-artifact?run_id=${run}&path=${tail}`), 'get-artifact');
    // A listing is a read: refused, or empty (nothing is stored under such a name), never anything outside.
    for (const path of [`${PROXY}?path=${tail}`, `/api/2.0/mlflow/artifacts/list?run_id=${run}&path=${tail}`]) {
      const res = await server.raw('GET', path);
      if (res.status === 200) expect(res.body.files, path).toBeUndefined();
      else expectRejected(res, path);
    }
    expectRejected(
      await server.raw('POST', `/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run}&path=${tail}`, 'pwned', {
        'content-type': 'text/plain',
      }),
      'upload-artifact',
    );
  });

  it('refuses to follow a symlink inside the root that points outside', async () => {
    const outside = join(server.dataDir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), 'root:x:0:0');
    symlinkSync(outside, join(server.artifactsDir, exp, 'evil'));
    for (const [method, path] of [
      ['GET', `${PROXY}/${exp}/evil/secret.txt`],
      ['PUT', `${PROXY}/${exp}/evil/planted.txt`],
      ['DELETE', `${PROXY}/${exp}/evil/secret.txt`],
      ['GET', `${PROXY}?path=${exp}/evil`],
    ]) {
      const res = await server.raw(method, path, method === 'PUT' ? 'pwned' : undefined);
      expectRejected(res, `${method} ${path}`);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect(readdirSync(outside)).toEqual(['secret.txt']);
    expect(
      (await server.call('GET', `${PROXY}?path=${exp}`)).body.files.map((f: { path: string }) => f.path),
    ).not.toContain('evil');
  });

  it('wrote nothing outside the runs and still answers /health', async () => {
    expect(readdirSync(server.artifactsDir).sort()).toEqual([exp]);
    expect(readdirSync(join(server.dataDir)).sort()).toEqual(expect.not.arrayContaining(['etc', 'b', 'x']));
    expect(await (await get('/health')).text()).toBe('OK');
  });
});
