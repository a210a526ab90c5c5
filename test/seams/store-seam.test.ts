import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');
const SERVER_SRC = join(REPO, 'packages/server/src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('SQL lives in @trove/store only', () => {
  it('finds no query builder, raw SQL or dialect check in packages/server/src', () => {
    const offenders: string[] = [];
    const builder = /\.(selectFrom|insertInto|updateTable|deleteFrom|forUpdate)\(|\bsql`|ddl\.name\b|from 'kysely'/;
    for (const file of sourceFiles(SERVER_SRC)) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (builder.test(line)) offenders.push(`${relative(REPO, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('the server package does not depend on kysely, and the lint rule refuses a planted import', () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'packages/server/package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain('kysely');
    const dir = mkdtempSync(join(SERVER_SRC, 'seam-probe-'));
    const planted = join(dir, 'planted.ts');
    try {
      writeFileSync(planted, "import { sql } from 'kysely';\n\nexport const q = sql`SELECT 1`;\n");
      let output = '';
      let failed = false;
      try {
        execFileSync(join(REPO, 'node_modules/.bin/biome'), ['lint', planted], {
          cwd: REPO,
          encoding: 'utf8',
          stdio: 'pipe',
        });
      } catch (e) {
        failed = true;
        const err = e as { stdout?: string; stderr?: string };
        output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
      }
      expect(failed).toBe(true);
      expect(output).toContain('noRestrictedImports');
      expect(output).toContain('SQL lives in @trove/store');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
