import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_SKIP_REASON, type MotoServer, startMoto } from '../support/moto.ts';
import { freePort, type ServerProcess, spawnServer, stopServer } from '../support/process-server.ts';
import { parseBody } from '../support/server.ts';

const BUCKET = 'trove-mpu';
const PREFIX = 'mlartifacts';
const MPU = '/api/2.0/mlflow-artifacts/mpu';
const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
const API = '/api/2.0/mlflow';
const MIB = 1024 * 1024;

interface Credential {
  url: string;
  part_number: number;
  headers: Record<string, string>;
}

describe.skipIf(MOTO_SKIP_REASON !== undefined)(
  'artifact proxy multipart uploads on S3 (moto): presigned parts, as the MLflow client drives them',
  () => {
    let moto: MotoServer;
    let s3: S3Client;
    let server: ServerProcess;
    let dataDir: string;
    let dir: string;

    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(server.url + path, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      });
      return { status: res.status, body: parseBody(await res.text()) };
    };
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await call(method, path, body);
      if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    /** The client's part upload: a PUT of the bytes straight to the presigned URL, answering the part's ETag. */
    const putPart = async (credential: Credential, bytes: Buffer) => {
      const res = await fetch(credential.url, {
        method: 'PUT',
        body: new Uint8Array(bytes),
        headers: credential.headers,
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return { part_number: credential.part_number, etag: res.headers.get('etag') ?? '', url: credential.url };
    };
    const openUploads = async () => (await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? [];

    beforeAll(async () => {
      moto = await startMoto();
      s3 = moto.client();
      await moto.createBucket(BUCKET);
      dataDir = mkdtempSync(join(tmpdir(), 'trove-s3-mpu-'));
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
      const exp = (await ok('POST', `${API}/experiments/create`, { name: 's3-mpu' })).experiment_id;
      const run = (await ok('POST', `${API}/runs/create`, { experiment_id: exp, start_time: Date.now() })).run.info
        .run_id;
      dir = `${exp}/${run}/artifacts/weights`;
    });
    afterAll(async () => {
      await stopServer(server);
      await moto?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('creates, takes parts at presigned URLs, completes, and serves the bytes', async () => {
      // S3's smallest non-final part is 5 MiB; the last part may be shorter.
      const parts = [randomBytes(5 * MIB), randomBytes(5 * MIB), randomBytes(MIB + 17)];
      const whole = Buffer.concat(parts);
      const created = await ok('POST', `${MPU}/create/${dir}`, { path: '/home/me/out/model.bin', num_parts: 3 });
      expect(typeof created.upload_id).toBe('string');
      const credentials = created.credentials as Credential[];
      expect(credentials.map((c) => c.part_number)).toEqual([1, 2, 3]);
      for (const c of credentials) {
        // The object is <dir>/<basename of the client's path>, under the store's prefix.
        expect(new URL(c.url).pathname).toBe(`/${BUCKET}/${PREFIX}/${dir}/model.bin`);
        // A checksum of the (still unknown) body in the URL would make S3 refuse every part.
        expect(c.url).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/i);
      }

      // Parts finish in any order; the client lists them as they finished.
      const uploaded = await Promise.all([2, 0, 1].map((i) => putPart(credentials[i], parts[i])));
      expect(
        await ok('POST', `${MPU}/complete/${dir}`, {
          path: '/home/me/out/model.bin',
          upload_id: created.upload_id,
          parts: uploaded,
        }),
      ).toEqual({});

      const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${dir}/model.bin` }));
      expect([head.ContentLength, head.ETag]).toEqual([whole.length, expect.stringMatching(/-3"$/)]);
      const res = await fetch(`${server.url}${PROXY}/${dir}/model.bin`);
      expect(res.status).toBe(200);
      const got = Buffer.from(await res.arrayBuffer());
      expect(got.length).toBe(whole.length);
      expect(createHash('sha256').update(got).digest('hex')).toBe(createHash('sha256').update(whole).digest('hex'));
      expect((await ok('GET', `${PROXY}?path=${dir}`)).files).toEqual([
        { path: 'model.bin', is_dir: false, file_size: whole.length },
      ]);
      expect(await openUploads()).toEqual([]);
    });

    it('aborts an upload: its parts are dropped, nothing is written, and the id is gone', async () => {
      const body = { path: 'aborted.bin', num_parts: 2 };
      const created = await ok('POST', `${MPU}/create/${dir}`, body);
      await putPart(created.credentials[0], randomBytes(5 * MIB));
      expect((await openUploads()).map((u) => u.UploadId)).toContain(created.upload_id);
      expect(await ok('POST', `${MPU}/abort/${dir}`, { path: 'aborted.bin', upload_id: created.upload_id })).toEqual(
        {},
      );
      expect((await openUploads()).map((u) => u.UploadId)).not.toContain(created.upload_id);
      const read = await call('GET', `${PROXY}/${dir}/aborted.bin`);
      expect([read.status, read.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
      const late = await call('POST', `${MPU}/complete/${dir}`, {
        path: 'aborted.bin',
        upload_id: created.upload_id,
        parts: [{ part_number: 1, etag: '"x"' }],
      });
      expect([late.status, late.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    });

    it('answers unknown upload ids with 404', async () => {
      for (const step of ['complete', 'abort']) {
        const res = await call('POST', `${MPU}/${step}/${dir}`, {
          path: 'x.bin',
          upload_id: 'no-such-upload',
          parts: [{ part_number: 1, etag: '"e"' }],
        });
        expect([res.status, res.body.error_code], step).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
      }
    });

    it('refuses bad paths and bad requests with 400 before anything reaches the bucket', async () => {
      const before = await openUploads();
      const bad: [string, unknown][] = [
        [`${MPU}/create/${dir}/..%2f..%2f..%2fescape`, { path: 'x.bin', num_parts: 1 }],
        [`${MPU}/create/${dir}`, { path: '/tmp/bad#name.bin', num_parts: 1 }],
        [`${MPU}/create/${dir}`, { path: 'out/', num_parts: 1 }],
        [`${MPU}/create/${dir}`, { path: '..', num_parts: 1 }],
        [`${MPU}/create/${dir}`, { num_parts: 1 }],
        [`${MPU}/create/${dir}`, { path: 'x.bin', num_parts: 0 }],
        [`${MPU}/create/${dir}`, { path: 'x.bin', num_parts: 10_001 }],
        [`${MPU}/create/${dir}`, { path: 'x.bin', num_parts: 'many' }],
        [
          `${MPU}/complete/${dir}/..%2f..%2fx`,
          { path: 'x.bin', upload_id: 'u', parts: [{ part_number: 1, etag: '"e"' }] },
        ],
        [`${MPU}/complete/${dir}`, { path: 'x.bin', upload_id: 'u' }],
        [`${MPU}/complete/${dir}`, { path: 'x.bin', parts: [{ part_number: 1, etag: '"e"' }] }],
        [`${MPU}/complete/${dir}`, { path: 'x.bin', upload_id: 'u', parts: [{ part_number: 0, etag: '"e"' }] }],
        [`${MPU}/complete/${dir}`, { path: 'x.bin', upload_id: 'u', parts: [{ part_number: 1 }] }],
        [
          `${MPU}/complete/${dir}`,
          {
            path: 'x.bin',
            upload_id: 'u',
            parts: [
              { part_number: 1, etag: '"a"' },
              { part_number: 1, etag: '"b"' },
            ],
          },
        ],
        [`${MPU}/abort/${dir}`, { path: 'x.bin' }],
      ];
      for (const [path, body] of bad) {
        const res = await call('POST', path, body);
        expect([res.status, res.body.error_code], `${path} ${JSON.stringify(body)}`).toEqual([
          400,
          'INVALID_PARAMETER_VALUE',
        ]);
      }
      expect(await openUploads()).toEqual(before);
    });

    it("keeps another workspace out of this workspace's experiments", async () => {
      expect((await call('POST', '/api/trove/v1/workspaces', { name: 'other-team' })).status).toBe(200);
      const res = await call('POST', `/w/other-team${MPU}/create/${dir}`, { path: 'x.bin', num_parts: 1 });
      expect([res.status, res.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    });

    it("names the object after the file name of a Windows client's path", async () => {
      const created = await ok('POST', `${MPU}/create/${dir}`, { path: 'C:\\Users\\me\\win.bin', num_parts: 1 });
      expect(new URL(created.credentials[0].url).pathname).toBe(`/${BUCKET}/${PREFIX}/${dir}/win.bin`);
      expect(
        await ok('POST', `${MPU}/abort/${dir}`, { path: 'C:\\Users\\me\\win.bin', upload_id: created.upload_id }),
      ).toEqual({});
    });

    it('refuses parts whose ETags do not match with 400', async () => {
      const created = await ok('POST', `${MPU}/create/${dir}`, { path: 'mismatch.bin', num_parts: 1 });
      await putPart(created.credentials[0], randomBytes(1024));
      const res = await call('POST', `${MPU}/complete/${dir}`, {
        path: 'mismatch.bin',
        upload_id: created.upload_id,
        parts: [{ part_number: 1, etag: '"0123456789abcdef0123456789abcdef"' }],
      });
      expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(await ok('POST', `${MPU}/abort/${dir}`, { path: 'mismatch.bin', upload_id: created.upload_id })).toEqual(
        {},
      );
    });
  },
);
