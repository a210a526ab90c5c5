import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort } from './process-server.ts';

/**
 * A real S3-compatible server for tests: moto (`python3 -m moto.server`), one per test file,
 * on a free loopback port. Where Python's `moto` is missing the S3 suites are skipped with
 * `MOTO_SKIP_REASON` printed, unless `TROVE_REQUIRE_S3=1` (set by `.ci/run`), where they run
 * and fail.
 */
export const S3_REQUIRED = process.env.TROVE_REQUIRE_S3 === '1';

function probeMoto(): string | undefined {
  const r = spawnSync('python3', ['-c', 'import moto'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) return `python3 could not be run (${r.error.message})`;
  if (r.status !== 0)
    return `python3 cannot import moto (${(r.stderr || '').trim().split('\n').pop() ?? 'unknown error'}); install it with 'pip install "moto[server]"'`;
  return undefined;
}

const probe = probeMoto();
/** Why the S3 suites are skipped, or `undefined` when they run. */
export const MOTO_SKIP_REASON: string | undefined = probe && !S3_REQUIRED ? probe : undefined;
if (MOTO_SKIP_REASON)
  console.warn(`[trove tests] S3 suite skipped: ${MOTO_SKIP_REASON} (set TROVE_REQUIRE_S3=1 to make this an error)`);

/** Credentials moto accepts (any); tests pass them explicitly or through the environment. */
export const MOTO_CREDENTIALS = { accessKeyId: 'trove-test', secretAccessKey: 'trove-test-secret' };
export const MOTO_REGION = 'us-east-1';

export interface MotoServer {
  endpoint: string;
  /** The environment a server process needs to reach this moto (endpoint, region, credentials). */
  env: Record<string, string>;
  /** A client for this moto, path-style. */
  client(): S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<MotoServer> {
  if (probe) throw new Error(`TROVE_REQUIRE_S3=1 but moto is unavailable: ${probe}`);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => {
    // moto logs every request on stderr; keep only the tail for a failure message.
    errors = (errors + d.toString()).slice(-4000);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited early (${child.exitCode}):\n${errors}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto did not start on ${endpoint}:\n${errors}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const clients: S3Client[] = [];
  const client = () => {
    const c = new S3Client({ endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS });
    clients.push(c);
    return c;
  };
  const admin = client();
  return {
    endpoint,
    env: {
      MLFLOW_S3_ENDPOINT_URL: endpoint,
      AWS_REGION: MOTO_REGION,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    },
    client,
    async createBucket(name) {
      await admin.send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      for (const c of clients) c.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
