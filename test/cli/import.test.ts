import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ImportReport } from '@trove/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_ARTIFACTS, FIXTURE_DB } from '../support/mlflow-fixture.ts';

const exec = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../packages/cli/bin/trove.js');
const dir = mkdtempSync(join(tmpdir(), 'trove-import-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const trove = async (...args: string[]) => (await exec(process.execPath, [CLI, ...args], { cwd: dir })).stdout;
const target = (name: string) => [
  '--backend-store-uri',
  join(dir, name, 'trove.db'),
  '--artifacts-destination',
  join(dir, name, 'artifacts'),
];

describe('trove import / trove export through the binary', () => {
  it('imports an MLflow database, exports it to an archive, and imports the archive elsewhere with the same counts', async () => {
    const first = JSON.parse(
      await trove(
        'import',
        'mlflow',
        '--from-db',
        FIXTURE_DB,
        '--artifacts',
        FIXTURE_ARTIFACTS,
        ...target('a'),
        '--json',
      ),
    ) as ImportReport;
    expect(first.ok).toBe(true);
    expect(first.target_counts).toEqual(first.source_counts);

    const archive = join(dir, 'a.tar.gz');
    expect(await trove('export', '--to', archive, ...target('a'))).toMatch(
      /^wrote .*a\.tar\.gz: 3 experiments, 12 runs/,
    );
    const second = JSON.parse(await trove('import', 'trove', archive, ...target('b'), '--json')) as ImportReport;
    expect(second.ok).toBe(true);
    // Exporting reads Trove over MLflow's REST API, which hides soft-deleted model versions.
    expect({ ...second.target_counts, versions: 0 }).toEqual({ ...first.target_counts, versions: 0 });
    expect(second.target_counts.versions).toBeLessThan(first.target_counts.versions);
  }, 120_000);

  it('names the missing source', async () => {
    await expect(trove('import', 'mlflow', ...target('c'))).rejects.toThrow(/name one source/);
  });
});
