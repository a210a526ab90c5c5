import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportReport } from '@trove/protocol';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchiveSource } from '../../packages/cli/src/import/archive-source.ts';
import { writeArchive } from '../../packages/cli/src/import/archive-writer.ts';
import { openMlflowDbSource } from '../../packages/cli/src/import/mlflow-db-source.ts';
import { openMlflowRestSource } from '../../packages/cli/src/import/mlflow-rest-source.ts';
import { testBackend } from '../support/backend.ts';
import {
  FIXTURE_ARTIFACTS,
  FIXTURE_DB,
  FIXTURE_DIR,
  type ImportTarget,
  loadPostgresFixture,
  newImportTarget,
  postgresReachable,
} from '../support/mlflow-fixture.ts';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

/**
 * `trove import mlflow` from the fixture the real MLflow 2.17.2 wrote (SQLite and the same rows in
 * PostgreSQL) into Trove on the test's backend; then read back through Trove's MLflow API.
 */
const fixture = new BetterSqlite3(join(FIXTURE_DIR, 'mlflow.db'), { readonly: true });
const one = <T>(q: string, ...args: unknown[]) => fixture.prepare(q).get(...args) as T;
const all = <T>(q: string, ...args: unknown[]) => fixture.prepare(q).all(...args) as T[];

const fromSqlite = () => openMlflowDbSource(FIXTURE_DB, FIXTURE_ARTIFACTS);

let target: ImportTarget;
let first: ImportReport;
let server: TestServer;

beforeAll(async () => {
  target = await newImportTarget();
  first = await target.run(await fromSqlite());
  server = await startServer({ config: { backendStoreUri: target.uri, artifactsDestination: target.artifacts } });
});

afterAll(async () => {
  await server?.close();
  await target?.release();
  fixture.close();
});

describe('import from an MLflow 2.17 database', () => {
  it('verifies every count and artifact checksum against the source', () => {
    expect(first.ok).toBe(true);
    expect(first.target_counts).toEqual(first.source_counts);
    expect(first.sourceVersion).toBe('alembic f5a4f2784254');
    const runs = one<{ n: number }>('SELECT COUNT(*) AS n FROM runs').n;
    expect(first.source_counts.runs).toBe(runs);
    expect(first.source_counts.metricPoints).toBe(one<{ n: number }>('SELECT COUNT(*) AS n FROM metrics').n);
    expect(first.checksummed).toBe(first.source_counts.artifacts);
    expect(first.checksumMismatches).toEqual([]);
    expect(first.importedRuns).toBe(runs);
  });

  it('keeps run ids, status, lifecycle, params, tags and every metric point incl. NaN and ±Infinity', async () => {
    const api = mlflow(server);
    const awkward = one<{ run_uuid: string }>("SELECT run_uuid FROM runs WHERE name = 'awkward'").run_uuid;
    const { run } = await api.ok('GET', `/runs/get?run_id=${awkward}`);
    expect(run.info.run_id).toBe(awkward);
    expect(run.data.params).toEqual(
      expect.arrayContaining(
        all<{ key: string; value: string }>('SELECT key, value FROM params WHERE run_uuid = ?', awkward),
      ),
    );
    const history = await api.ok('GET', `/metrics/get-history?run_id=${awkward}&metric_key=weird`);
    const want = all<{ value: number; is_nan: number; step: number; timestamp: number }>(
      "SELECT value, is_nan, step, timestamp FROM metrics WHERE run_uuid = ? AND key = 'weird' ORDER BY timestamp, step",
      awkward,
    );
    expect(history.metrics).toHaveLength(want.length);
    expect(history.metrics.map((m: { value: unknown }) => m.value)).toEqual(
      want.map((w) => (w.is_nan ? 'NaN' : w.value)),
    );
    expect(history.metrics.map((m: { step: unknown }) => Number(m.step))).toEqual(want.map((w) => w.step));

    const failed = one<{ run_uuid: string }>("SELECT run_uuid FROM runs WHERE name = 'crashed'").run_uuid;
    expect((await api.ok('GET', `/runs/get?run_id=${failed}`)).run.info.status).toBe('FAILED');
    const deleted = one<{ run_uuid: string }>("SELECT run_uuid FROM runs WHERE lifecycle_stage = 'deleted'").run_uuid;
    expect((await api.ok('GET', `/runs/get?run_id=${deleted}`)).run.info.lifecycle_stage).toBe('deleted');
    const retired = one<{ experiment_id: number }>(
      "SELECT experiment_id FROM experiments WHERE name = 'fixture-retired'",
    );
    const exp = await api.ok('GET', `/experiments/get?experiment_id=${retired.experiment_id}`);
    expect(exp.experiment.lifecycle_stage).toBe('deleted');
    expect(exp.experiment.tags).toEqual([{ key: 'retired', value: 'yes' }]);
  });

  it('keeps dataset inputs with their tags', async () => {
    const trained = one<{ run_uuid: string }>("SELECT run_uuid FROM runs WHERE name = 'train-0'").run_uuid;
    const { run } = await mlflow(server).ok('GET', `/runs/get?run_id=${trained}`);
    const names = run.inputs.dataset_inputs.map((d: { dataset: { name: string } }) => d.dataset.name).sort();
    expect(names).toEqual(['eval', 'train']);
    const train = run.inputs.dataset_inputs.find((d: { dataset: { name: string } }) => d.dataset.name === 'train');
    expect(train.tags).toEqual(expect.arrayContaining([{ key: 'split', value: 'train' }]));
  });

  it('keeps the registry: versions, stages, aliases, tags, and artifacts reachable through runs:/ sources', async () => {
    const api = mlflow(server);
    const { registered_model: m } = await api.ok('GET', '/registered-models/get?name=fixture-classifier');
    const aliases = all<{ alias: string; version: number }>(
      "SELECT alias, version FROM registered_model_aliases WHERE name = 'fixture-classifier' ORDER BY alias",
    );
    expect(m.aliases).toEqual(aliases.map((a) => ({ alias: a.alias, version: String(a.version) })));
    expect(m.description).toBe('The classifier');
    const champion = await api.ok('GET', '/registered-models/alias?name=fixture-classifier&alias=champion');
    const src = one<{ current_stage: string; source: string; run_id: string }>(
      "SELECT current_stage, source, run_id FROM model_versions WHERE name = 'fixture-classifier' AND version = 2",
    );
    expect(champion.model_version.current_stage).toBe(src.current_stage);
    expect(champion.model_version.source).toBe(src.source);
    expect(champion.model_version.tags).toEqual(expect.arrayContaining([{ key: 'validated', value: 'true' }]));
    // The version's weights, fetched through Trove as a client resolving runs:/<id>/model would.
    const res = await fetch(`${server.url}/get-artifact?run_uuid=${src.run_id}&path=model/weights.bin`);
    expect(res.status).toBe(200);
    const expId = one<{ experiment_id: number }>(
      'SELECT experiment_id FROM runs WHERE run_uuid = ?',
      src.run_id,
    ).experiment_id;
    const original = readFileSync(join(FIXTURE_ARTIFACTS, String(expId), src.run_id, 'artifacts/model/weights.bin'));
    expect(Buffer.from(await res.arrayBuffer()).equals(original)).toBe(true);
    // A soft-deleted version stays hidden and its number is not reused.
    const ranker = await api.ok('GET', "/model-versions/search?filter=name%3D'fixture-ranker'");
    expect(ranker.model_versions.map((v: { version: string }) => v.version)).toEqual(['1']);
  });

  it('changes nothing when run again', async () => {
    const before = await mlflow(server).ok('POST', '/runs/search', {
      experiment_ids: ['0', '1', '2'],
      run_view_type: 'ALL',
    });
    const again = await target.run(await fromSqlite());
    expect(again.ok).toBe(true);
    expect(again.importedRuns).toBe(0);
    expect(again.skippedRuns).toBe(first.source_counts.runs);
    expect(again.target_counts).toEqual(first.target_counts);
    const after = await mlflow(server).ok('POST', '/runs/search', {
      experiment_ids: ['0', '1', '2'],
      run_view_type: 'ALL',
    });
    expect(after).toEqual(before);
  });
});

describe('resuming', () => {
  it('an import interrupted mid-run continues from its checkpoint and verifies', async () => {
    const t = await newImportTarget();
    try {
      let written = 0;
      const hooks = {
        afterRunData() {
          if (++written === 5) throw new Error('interrupted');
        },
      };
      await expect(t.run(await fromSqlite(), { hooks })).rejects.toThrow('interrupted');
      const resumed = await t.run(await fromSqlite());
      expect(resumed.ok).toBe(true);
      // Four runs finished before the interruption; the fifth was half-written and is written again.
      expect(resumed.skippedRuns).toBe(4);
      expect(resumed.importedRuns).toBe(first.source_counts.runs - 4);
      expect(resumed.target_counts).toEqual(first.target_counts);
    } finally {
      await t.release();
    }
  });
});

// The PostgreSQL source once, into the PostgreSQL target (the SQLite source runs into both).
describe.skipIf(testBackend() !== 'postgres' || !postgresReachable())(
  'import from the same MLflow data in PostgreSQL',
  () => {
    it('gives the same verification report as from SQLite', async () => {
      const pg = await loadPostgresFixture();
      const t = await newImportTarget();
      try {
        const report = await t.run(await openMlflowDbSource(pg.uri, FIXTURE_ARTIFACTS));
        expect(report.ok).toBe(true);
        expect(report.sourceVersion).toBe(first.sourceVersion);
        expect(report.source_counts).toEqual(first.source_counts);
        expect(report.target_counts).toEqual(first.target_counts);
      } finally {
        await t.release();
        await pg.drop();
      }
    });
  },
);

describe('other sources', () => {
  it('the REST reader copies a server (Trove speaks MLflow REST) and verifies', async () => {
    const t = await newImportTarget();
    try {
      const report = await t.run(await openMlflowRestSource(server.url));
      expect(report.ok).toBe(true);
      // Over REST MLflow shows no soft-deleted model versions.
      const deletedVersions = one<{ n: number }>(
        "SELECT COUNT(*) AS n FROM model_versions WHERE current_stage = 'Deleted_Internal'",
      ).n;
      expect(report.target_counts).toEqual({
        ...first.target_counts,
        versions: first.target_counts.versions - deletedVersions,
      });
    } finally {
      await t.release();
    }
  });

  it('an archive written by export imports with the same counts', async () => {
    const t = await newImportTarget();
    const file = join(t.artifacts, '..', 'export.tar.gz');
    try {
      const source = await openMlflowDbSource(FIXTURE_DB, FIXTURE_ARTIFACTS);
      const written = await writeArchive(source, file).finally(() => source.close());
      expect(written).toEqual(first.source_counts);
      const report = await t.run(await openArchiveSource(file));
      expect(report.ok).toBe(true);
      expect(report.target_counts).toEqual(first.target_counts);
    } finally {
      await t.release();
    }
  });
});

// Last: it changes a run of the shared import.
describe('conflicts', () => {
  it('an import refuses to overwrite a run that differs from the source', async () => {
    const awkward = one<{ run_uuid: string }>("SELECT run_uuid FROM runs WHERE name = 'awkward'").run_uuid;
    await mlflow(server).ok('POST', '/runs/log-metric', {
      run_id: awkward,
      key: 'extra',
      value: 1,
      timestamp: 1,
      step: 0,
    });
    // Without the checkpoint that says these runs are the import's own.
    target.checkpoint = `${target.checkpoint}.fresh`;
    await expect(target.run(await fromSqlite())).rejects.toThrow(/conflict: run .* differs from the source/);
  });
});
