import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportReport } from '@trove/protocol';
import type { ImportSource } from '../../packages/cli/src/import/import-source.ts';
import { runImport } from '../../packages/cli/src/import/importer.ts';
import type { RunWriteHooks } from '../../packages/cli/src/import/run-writer.ts';
import { openTroveTarget } from '../../packages/cli/src/import/trove-target.ts';
import { testStoreUri } from './backend.ts';
import { adminQuery, createDatabase, DB_PREFIX, dropDatabase } from './postgres.ts';

/** Written by the real MLflow 2.17.2 (scripts/fixtures/make-mlflow-fixtures.sh). */
export const FIXTURE_DIR = join(import.meta.dirname, '../fixtures/mlflow-2.17');
export const FIXTURE_DB = `sqlite:///${join(FIXTURE_DIR, 'mlflow.db')}`;
export const FIXTURE_ARTIFACTS = join(FIXTURE_DIR, 'artifacts');

/** Whether PostgreSQL answered the run's probe (vitest.config.ts). */
export function postgresReachable(): boolean {
  const probe = process.env.TROVE_PG_PROBE;
  return probe ? (JSON.parse(probe) as { ok: boolean }).ok : false;
}

/** The fixture's rows in a fresh PostgreSQL database of MLflow's schema (the committed pg_dump). */
export async function loadPostgresFixture(): Promise<{ uri: string; drop(): Promise<void> }> {
  const name = `${DB_PREFIX}mlflow_${randomBytes(4).toString('hex')}`;
  const uri = await createDatabase(name);
  await adminQuery([readFileSync(join(FIXTURE_DIR, 'mlflow-postgres.sql'), 'utf8')], uri);
  return { uri, drop: () => dropDatabase(name) };
}

/** A Trove database (the test's backend) and artifact folder to import into, kept across imports; `run` closes the source. */
export interface ImportTarget {
  uri: string;
  artifacts: string;
  checkpoint: string;
  run(source: ImportSource, options?: { hooks?: RunWriteHooks; workspace?: string }): Promise<ImportReport>;
  release(): Promise<void>;
}

export async function newImportTarget(): Promise<ImportTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'trove-import-'));
  const backend = await testStoreUri(join(dir, 'trove.db'));
  const t: ImportTarget = {
    uri: backend.uri,
    artifacts: join(dir, 'artifacts'),
    checkpoint: join(dir, 'checkpoint.jsonl'),
    async run(source, options = {}) {
      const target = await openTroveTarget({
        backendStoreUri: t.uri,
        artifactsDestination: t.artifacts,
        workspace: options.workspace,
      });
      try {
        return await runImport(source, target, { checkpoint: t.checkpoint, hooks: options.hooks });
      } finally {
        await source.close();
        await target.close();
      }
    },
    async release() {
      await backend.release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
