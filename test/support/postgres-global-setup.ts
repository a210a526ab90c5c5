import type { TestProject } from 'vitest/node';
import {
  createDatabase,
  dropDatabase,
  dropRunDatabases,
  PG_ADMIN_URI,
  probePostgres,
  redact,
  runPrefix,
} from './postgres.ts';

/**
 * Global setup of the `postgres` project. Probes PostgreSQL; when it does not answer, prints
 * that the PostgreSQL matrix is skipped and why (or fails the run under TROVE_REQUIRE_POSTGRES=1,
 * as CI sets). When it answers: one migrated template database for the run, copied per test
 * server; teardown drops every database of the run.
 */
export default async function setup(project: TestProject) {
  const probe = await probePostgres();
  if (!probe.ok) {
    if (process.env.TROVE_REQUIRE_POSTGRES === '1')
      throw new Error(`TROVE_REQUIRE_POSTGRES=1 but PostgreSQL is unreachable: ${probe.reason}`);
    // vitest.config.ts already printed why; only the stand-in notice test runs.
    return;
  }
  const prefix = runPrefix();
  const template = `${prefix}template`;
  // The store package is loaded only here, once PostgreSQL answered.
  const { openStore } = await import('@trove/store');
  const uri = await createDatabase(template);
  const store = await openStore(uri, { poolSize: 1 });
  await store.close();
  project.provide('troveDbPrefix', prefix);
  project.provide('troveDbTemplate', template);
  console.log(`PostgreSQL matrix: ${probe.version} at ${redact(PG_ADMIN_URI)}, databases ${prefix}*`);
  return async () => {
    await dropDatabase(template).catch(() => {});
    await dropRunDatabases(prefix);
  };
}
