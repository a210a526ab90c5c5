import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ContractionKind, contractingDdl } from './support/contracting-ddl.ts';

const MIGRATIONS_DIR = join(import.meta.dirname, '../src/migrations');

/**
 * Contract steps that were made on purpose, each in a release after the one that stopped using
 * the old shape (docs/deployment.md §10). An entry names the migration file, the kind of change
 * and why no replica of the previous release still needs what it removes. Entries that no longer
 * match anything fail the test, so the list stays true.
 */
const ALLOWED: { migration: string; kind: ContractionKind; reason: string }[] = [
  {
    migration: '0010_long_text_values',
    kind: 'drop',
    reason:
      'drops only the PostgreSQL (key, value) indexes of params and run_tags after creating their (key, prefix) replacements; no query names an index, so the previous release keeps working (its ORDER BY value reads without the index)',
  },
];

describe('migrations only expand, so replicas of the previous release keep working during `db upgrade`', () => {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_\w+\.ts$/.test(f))
    .sort();

  it('finds the migrations', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files)
      expect(readFileSync(join(MIGRATIONS_DIR, f), 'utf8'), f).toMatch(/export async function up\b/);
  });

  it('no migration drops, renames, or tightens what an older release uses (outside the allow-list)', () => {
    const used = new Set<(typeof ALLOWED)[number]>();
    const violations: string[] = [];
    for (const file of files) {
      const migration = file.replace(/\.ts$/, '');
      for (const c of contractingDdl(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'))) {
        const allowed = ALLOWED.find((a) => a.migration === migration && a.kind === c.kind);
        if (allowed) used.add(allowed);
        else violations.push(`${file}: ${c.kind}: ${c.excerpt}`);
      }
    }
    expect(
      violations,
      'contracting DDL breaks replicas still on the previous release; ship it a release later (see docs/deployment.md §10)',
    ).toEqual([]);
    expect(ALLOWED.filter((a) => !used.has(a)).map((a) => a.migration)).toEqual([]);
  });
});

describe('contractingDdl', () => {
  const kinds = (source: string) => contractingDdl(source).map((c) => c.kind);

  it('accepts what expands: new tables, nullable or defaulted columns, indexes, looser constraints', () => {
    const additive = `
      // A comment may say DROP TABLE or RENAME COLUMN a TO b freely.
      /* ALTER TABLE x ADD COLUMN y INTEGER NOT NULL */
      await exec(\`CREATE TABLE things (
        \${ddl.idColumn('id')},
        name TEXT NOT NULL,
        size BIGINT NOT NULL,
        UNIQUE (name))\`);
      await exec('CREATE UNIQUE INDEX things_by_size ON things (size, name)');
      await exec('ALTER TABLE runs ADD COLUMN note TEXT');
      await exec('ALTER TABLE metric_series ADD COLUMN layout INTEGER NOT NULL DEFAULT 0');
      await exec('ALTER TABLE runs ADD COLUMN owner TEXT REFERENCES users(id)');
      await exec('CREATE INDEX runs_by_note ON runs (note)');
      await exec('ALTER TABLE runs ALTER COLUMN note DROP NOT NULL');
      await db.schema.createTable('t').addColumn('id', 'integer', (c) => c.notNull()).execute();
      await db.schema.alterTable('runs').addColumn('flag', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('runs').addColumn('hint', 'text').execute();
    `;
    expect(contractingDdl(additive)).toEqual([]);
  });

  it('reports drops, renames, NOT NULL without default, type changes and new constraints on existing tables', () => {
    expect(kinds("await exec('DROP TABLE old_things')")).toEqual(['drop']);
    expect(kinds("await exec('DROP INDEX IF EXISTS runs_by_note')")).toEqual(['drop']);
    expect(kinds("await exec('ALTER TABLE runs DROP COLUMN note')")).toEqual(['drop']);
    expect(kinds('await exec(`ALTER TABLE runs\n  ALTER COLUMN note DROP DEFAULT`)')).toEqual(['drop']);
    expect(kinds("await exec('ALTER TABLE runs RENAME TO runs_v2')")).toEqual(['rename']);
    expect(kinds("await exec('ALTER TABLE runs RENAME COLUMN note TO notes')")).toEqual(['rename']);
    expect(kinds("await exec('ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL')")).toEqual(['not-null-column']);
    expect(kinds("await exec('ALTER TABLE runs ADD owner TEXT NOT NULL, ADD COLUMN n INTEGER DEFAULT 1')")).toEqual([
      'not-null-column',
    ]);
    expect(kinds("await exec('ALTER TABLE runs ALTER COLUMN note SET NOT NULL')")).toEqual(['set-not-null']);
    expect(kinds("await exec('ALTER TABLE runs ALTER COLUMN note TYPE BIGINT')")).toEqual(['change-type']);
    expect(kinds("await exec('ALTER TABLE runs ALTER note SET DATA TYPE BIGINT')")).toEqual(['change-type']);
    expect(kinds("await exec('ALTER TABLE runs ADD CONSTRAINT runs_name_unique UNIQUE (name)')")).toEqual([
      'add-constraint',
    ]);
    expect(kinds("await exec('ALTER TABLE runs ADD UNIQUE (name)')")).toEqual(['add-constraint']);
    expect(kinds("await exec('CREATE UNIQUE INDEX runs_by_name ON runs (experiment_id, name)')")).toEqual([
      'unique-index',
    ]);
  });

  it("reports the same through Kysely's schema builder", () => {
    expect(kinds("await db.schema.dropTable('old').execute()")).toEqual(['drop']);
    expect(kinds("await db.schema.alterTable('runs').dropColumn('note').execute()")).toEqual(['drop']);
    expect(kinds("await db.schema.alterTable('runs').renameColumn('note', 'notes').execute()")).toEqual(['rename']);
    expect(kinds("await db.schema.alterTable('runs').renameTo('runs_v2').execute()")).toEqual(['rename']);
    expect(kinds("await db.schema.alterTable('runs').alterColumn('note', (c) => c.setNotNull()).execute()")).toEqual([
      'set-not-null',
    ]);
    expect(
      kinds("await db.schema.alterTable('runs').alterColumn('note', (c) => c.setDataType('bigint')).execute()"),
    ).toEqual(['change-type']);
    expect(
      kinds("await db.schema.alterTable('runs').addColumn('owner', 'text', (c) => c.notNull()).execute()"),
    ).toEqual(['not-null-column']);
    expect(kinds("await db.schema.alterTable('runs').addUniqueConstraint('u', ['name']).execute()")).toEqual([
      'add-constraint',
    ]);
  });
});
