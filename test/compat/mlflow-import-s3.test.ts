import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ImportReport } from '@trove/protocol';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStoreUri } from '../support/backend.ts';
import { FIXTURE_ARTIFACTS, FIXTURE_DB, FIXTURE_DIR } from '../support/mlflow-fixture.ts';
import { MOTO_SKIP_REASON, type MotoServer, startMoto } from '../support/moto.ts';
import { freePort, type ServerProcess, spawnServer, stopServer } from '../support/process-server.ts';
import { parseBody } from '../support/server.ts';

/**
 * `trove import mlflow --from-db …` through the `trove` binary, with MLflow 2.17.2's artifacts in an
 * S3 bucket (moto): once as MLflow's proxy stores them (`mlflow-artifacts:/` URIs, `--artifacts
 * s3://…`) into a Trove whose artifact destination is another bucket, once as a server without the
 * proxy stores them (`s3://` URIs on the runs) into a Trove on local disk. Every file then comes back
 * byte-equal through Trove's HTTP API, and importing again changes nothing. The Trove database is
 * the test's backend (SQLite, or PostgreSQL on the postgres project).
 */
const exec = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../packages/cli/bin/trove.js');
const SOURCE_BUCKET = 'mlflow-src';
const SOURCE_PREFIX = 'team-a/mlartifacts';
const SOURCE_ROOT = `s3://${SOURCE_BUCKET}/${SOURCE_PREFIX}`;
const TARGET_BUCKET = 'trove-dst';

/** The fixture's artifact files by key under MLflow's artifact root: `<exp>/<run>/artifacts/<path>`. */
function fixtureFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else files.set(relative(FIXTURE_ARTIFACTS, full).split('\\').join('/'), readFileSync(full));
    }
  };
  walk(FIXTURE_ARTIFACTS);
  return files;
}

const files = fixtureFiles();
const fixtureBytes = [...files.values()].reduce((n, b) => n + b.length, 0);
const fixture = new BetterSqlite3(join(FIXTURE_DIR, 'mlflow.db'), { readonly: true });
const runCount = (fixture.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
const experimentIds = (fixture.prepare('SELECT experiment_id FROM experiments').all() as { experiment_id: number }[])
  .map((e) => String(e.experiment_id))
  .sort();
/** A registered version whose run has artifacts: its source is rewritten to an s3:// path in the no-proxy copy. */
const version = fixture
  .prepare("SELECT name, version, run_id FROM model_versions WHERE name = 'fixture-classifier' AND version = 1")
  .get() as { name: string; version: number; run_id: string };

/**
 * A copy of the fixture database as an MLflow server with `--default-artifact-root s3://…` and no
 * artifact proxy would have written it: each run's and experiment's artifact location is the bucket
 * path itself, and (as older clients stored it) one model version's source is the resolved s3:// path.
 */
function rewriteToS3(dir: string): string {
  const path = join(dir, 'mlflow-s3.db');
  copyFileSync(join(FIXTURE_DIR, 'mlflow.db'), path);
  const db = new BetterSqlite3(path);
  try {
    const proxy = 'mlflow-artifacts:/';
    db.prepare(
      `UPDATE runs SET artifact_uri = ? || substr(artifact_uri, ${proxy.length + 1}) WHERE artifact_uri LIKE 'mlflow-artifacts:/%'`,
    ).run(`${SOURCE_ROOT}/`);
    db.prepare(
      `UPDATE experiments SET artifact_location = ? || substr(artifact_location, ${proxy.length + 1}) WHERE artifact_location LIKE 'mlflow-artifacts:/%'`,
    ).run(`${SOURCE_ROOT}/`);
    db.prepare("UPDATE model_versions SET source = ? WHERE name = 'fixture-classifier' AND version = 1").run(
      `${SOURCE_ROOT}/1/${version.run_id}/artifacts/model`,
    );
    const left = db.prepare("SELECT COUNT(*) AS n FROM runs WHERE artifact_uri NOT LIKE 's3://%'").get() as {
      n: number;
    };
    if (left.n !== 0) throw new Error(`${left.n} runs kept a non-s3 artifact URI`);
  } finally {
    db.close();
  }
  return `sqlite:///${path}`;
}

/** Every object under `prefix`: key → size and last-modified time, to see whether anything was rewritten. */
async function bucketListing(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? [])
      out.set((o.Key as string).slice(prefix.length + 1), `${o.Size} ${o.LastModified?.toISOString()} ${o.ETag}`);
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

function folderListing(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else {
        const s = statSync(full);
        out.set(relative(root, full).split('\\').join('/'), `${s.size} ${s.mtimeMs}`);
      }
    }
  };
  walk(root);
  return out;
}

/** A 200 answer of the MLflow API of a server started as a process, as JSON. */
async function ok(server: ServerProcess, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api/2.0/mlflow${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = parseBody(await res.text());
  if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

interface Case {
  name: string;
  /** The source database URI and `--artifacts` value, given the test's folder. */
  source(dir: string): { db: string; artifacts?: string };
  /** Trove's artifact destination, given the test's folder. */
  destination(dir: string, caseName: string): string;
  /** Whether the runs' artifact URIs moved under Trove's proxy (they pointed at the bucket itself). */
  moved: boolean;
}

const CASES: Case[] = [
  {
    name: 'proxied mlflow-artifacts:/ URIs, --artifacts s3://…, into Trove on S3',
    source: () => ({ db: FIXTURE_DB, artifacts: SOURCE_ROOT }),
    destination: (_dir, name) => `s3://${TARGET_BUCKET}/${name}`,
    moved: false,
  },
  {
    name: 's3:// artifact URIs on the runs (no proxy), into Trove on local disk',
    source: (dir) => ({ db: rewriteToS3(dir) }),
    destination: (dir) => join(dir, 'trove-artifacts'),
    moved: true,
  },
];

describe.skipIf(MOTO_SKIP_REASON !== undefined)('import from MLflow with artifacts on S3 (moto)', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let dir: string;

  beforeAll(async () => {
    moto = await startMoto();
    s3 = moto.client();
    await moto.createBucket(SOURCE_BUCKET);
    await moto.createBucket(TARGET_BUCKET);
    for (const [key, body] of files)
      await s3.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: `${SOURCE_PREFIX}/${key}`, Body: body }));
    dir = mkdtempSync(join(tmpdir(), 'trove-import-s3-'));
  });
  afterAll(async () => {
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    fixture.close();
  });

  CASES.forEach((c, i) => {
    describe(c.name, () => {
      const caseName = `case${i}`;
      let work: string;
      let storePath: string;
      let storeUri: string;
      let destination: string;
      let source: { db: string; artifacts?: string };
      let first: ImportReport;
      let server: ServerProcess;

      /** `trove import mlflow` from this case's source into its Trove; the checkpoint lands in `work`. */
      const importOnce = async (...extra: string[]) => {
        const args = [CLI, 'import', 'mlflow', '--from-db', source.db];
        if (source.artifacts) args.push('--artifacts', source.artifacts);
        args.push('--backend-store-uri', storeUri, '--artifacts-destination', destination, '--json', ...extra);
        const { stdout } = await exec(process.execPath, args, { cwd: work, env: { ...process.env, ...moto.env } });
        return JSON.parse(stdout) as ImportReport;
      };
      const listing = () =>
        destination.startsWith('s3://')
          ? bucketListing(s3, TARGET_BUCKET, caseName)
          : Promise.resolve(folderListing(destination));

      beforeAll(async () => {
        work = join(dir, caseName);
        rmSync(work, { recursive: true, force: true });
        mkdirSync(work, { recursive: true });
        source = c.source(work);
        destination = c.destination(work, caseName);
        // On PostgreSQL the path stands for a database of its own, the same one the server below gets.
        storePath = join(work, 'trove.db');
        storeUri = await processStoreUri(storePath);
        first = await importOnce();
        server = await spawnServer(
          ['--backend-store-uri', storePath, '--artifacts-destination', destination, '--log-level', 'error'],
          await freePort(),
          moto.env,
        );
      }, 120_000);
      afterAll(async () => {
        await stopServer(server);
      });

      it('verifies every count and every artifact by SHA-256 against the bucket', async () => {
        expect(first.ok).toBe(true);
        expect(first.target_counts).toEqual(first.source_counts);
        expect(first.source_counts.runs).toBe(runCount);
        expect(first.importedRuns).toBe(runCount);
        expect(first.source_counts.artifacts).toBe(files.size);
        expect(first.source_counts.artifactBytes).toBe(fixtureBytes);
        expect(first.checksummed).toBe(files.size);
        expect(first.checksumMismatches).toEqual([]);
        // The files landed in Trove's destination, one object or file each, under the runs' keys.
        expect([...(await listing()).keys()].sort()).toEqual([...files.keys()].sort());
      });

      it('serves every file byte-equal through the HTTP API, at the run artifact URI it reports', async () => {
        for (const [key, body] of files) {
          const [, runId, , ...rest] = key.split('/');
          const { run } = await ok(server, 'GET', `/runs/get?run_id=${runId}`);
          const root = key.split('/').slice(0, 3).join('/');
          expect(run.info.artifact_uri).toBe(`mlflow-artifacts:/${root}`);
          const res = await fetch(
            `${server.url}/get-artifact?run_uuid=${runId}&path=${encodeURIComponent(rest.join('/'))}`,
          );
          expect(res.status, key).toBe(200);
          expect(Buffer.from(await res.arrayBuffer()).equals(body), key).toBe(true);
        }
      });

      it.runIf(c.moved)('moves a model version source under the run to the run’s new root', async () => {
        const { artifact_uri } = await ok(
          server,
          'GET',
          `/model-versions/get-download-uri?name=${version.name}&version=${version.version}`,
        );
        expect(artifact_uri).toBe(`mlflow-artifacts:/1/${version.run_id}/artifacts/model`);
        const res = await fetch(`${server.url}/get-artifact?run_uuid=${version.run_id}&path=model/weights.bin`);
        expect(
          Buffer.from(await res.arrayBuffer()).equals(
            files.get(`1/${version.run_id}/artifacts/model/weights.bin`) as Buffer,
          ),
        ).toBe(true);
      });

      it('changes nothing when run again, with its checkpoint and without', async () => {
        const search = () =>
          ok(server, 'POST', '/runs/search', { experiment_ids: experimentIds, run_view_type: 'ALL' });
        const runsBefore = await search();
        const filesBefore = await listing();
        // The same command (its checkpoint says every run is done), then a fresh checkpoint: each run
        // is then compared with the source, every artifact re-read from the bucket and hashed.
        for (const extra of [[], ['--checkpoint', join(work, 'fresh.jsonl')]]) {
          const again = await importOnce(...extra);
          expect(again.ok).toBe(true);
          expect(again.importedRuns).toBe(0);
          expect(again.skippedRuns).toBe(runCount);
          expect(again.source_counts).toEqual(first.source_counts);
          expect(again.target_counts).toEqual(first.target_counts);
          expect(again.checksummed).toBe(files.size);
        }
        expect(await search()).toEqual(runsBefore);
        expect(await listing()).toEqual(filesBefore);
      }, 60_000);
    });
  });
});
