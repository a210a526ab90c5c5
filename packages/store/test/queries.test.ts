import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../test/support/backend.ts';
import { type HotScenario, renderScenario, runHotPaths, SCENARIOS, UPDATE_COMMAND } from './support/hot-paths.ts';
import { type CaptureStore, openCaptureStore } from './support/sql-capture.ts';

// The SQL of the hot paths is committed (packages/store/queries/<dialect>/*.sql) so that a change
// to it shows in review. This regenerates it from a fixed scenario and fails when it differs from
// the committed files; TROVE_UPDATE_SQL=1 rewrites them instead.
const backend = testBackend();
const update = process.env.TROVE_UPDATE_SQL === '1';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = fileURLToPath(new URL(`../queries/${backend}/`, import.meta.url));
const shown = (path: string) => relative(root, path);
const howToUpdate = `If the change is intended, regenerate the files and commit them with the change: ${UPDATE_COMMAND}`;

let capture: CaptureStore;
let scenarios: Map<string, HotScenario>;

beforeAll(async () => {
  capture = await openCaptureStore();
  scenarios = new Map((await runHotPaths(capture)).map((s) => [s.name, s]));
});

afterAll(() => capture?.close());

describe(`committed hot SQL (${backend})`, () => {
  for (const name of SCENARIOS) {
    it(name, () => {
      const path = join(dir, `${name}.sql`);
      const actual = renderScenario(scenarios.get(name) as HotScenario, backend);
      if (update) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path, actual);
        return;
      }
      expect(existsSync(path), `${shown(path)} is missing. ${howToUpdate}`).toBe(true);
      expect(actual, `${shown(path)} is not the SQL the store now runs. ${howToUpdate}`).toBe(
        readFileSync(path, 'utf8'),
      );
    });
  }

  it('has no committed file for a scenario that is gone', () => {
    const known = new Set(SCENARIOS.map((n) => `${n}.sql`));
    const stale = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sql') && !known.has(f)) : [];
    if (update) {
      for (const f of stale) rmSync(join(dir, f));
      return;
    }
    expect(
      stale.map((f) => shown(join(dir, f))),
      `no scenario writes these any more. ${howToUpdate}`,
    ).toEqual([]);
  });

  it('records statements that run in every step', () => {
    for (const s of scenarios.values())
      for (const step of s.steps) expect(step.statements.length, `${s.name}: ${step.label}`).toBeGreaterThan(0);
  });
});
