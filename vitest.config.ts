import { defineConfig } from 'vitest/config';
import { type PgProbe, probePostgres, skippedBanner } from './test/support/postgres.ts';

const ALL = ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'];
/**
 * What runs on both backends: every store test and every HTTP-level test (the process-level
 * durability test included). CLI, SDK and artifact-store tests do not touch the metadata
 * database's dialect and run once, on SQLite.
 */
const MATRIX = [
  'packages/store/test/**/*.test.ts',
  'test/http/**/*.test.ts',
  'test/compat/**/*.test.ts',
  'test/durability/**/*.test.ts',
];

export default defineConfig(async () => {
  // PostgreSQL that does not answer skips the postgres project (its global setup says so), unless
  // TROVE_REQUIRE_POSTGRES=1, where the global setup fails the run instead.
  // Vitest evaluates this file once per project: probe (and print) once per run.
  process.env.TROVE_PG_PROBE ??= JSON.stringify(await probePostgres(undefined, 2000));
  const probe = JSON.parse(process.env.TROVE_PG_PROBE) as PgProbe;
  const required = process.env.TROVE_REQUIRE_POSTGRES === '1';
  if (!probe.ok && !required && !process.env.TROVE_PG_BANNER) {
    process.env.TROVE_PG_BANNER = '1';
    console.warn(skippedBanner(probe.reason));
  }
  const reachable = probe.ok || required;
  return {
    test: {
      testTimeout: 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
      // Vitest's default on 2 cores is one worker; these tests mostly wait on sockets and databases,
      // and two workers finish both halves of the matrix in about half the time.
      maxWorkers: 2,
      projects: [
        { extends: true, test: { name: 'sqlite', include: ALL, env: { TROVE_TEST_BACKEND: 'sqlite' } } },
        {
          extends: true,
          test: {
            name: 'postgres',
            include: reachable ? MATRIX : ['test/support/postgres-skipped.notice.ts'],
            env: { TROVE_TEST_BACKEND: 'postgres' },
            globalSetup: ['test/support/postgres-global-setup.ts'],
          },
        },
      ],
    },
  };
});
