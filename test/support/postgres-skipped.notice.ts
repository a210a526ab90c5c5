import { describe, it } from 'vitest';
import { PG_ADMIN_URI } from './postgres.ts';

// Stands in for the PostgreSQL matrix when PostgreSQL does not answer (see vitest.config.ts):
// the report then shows one skipped test saying so, instead of nothing.
describe('PostgreSQL matrix', () => {
  it.skip(`skipped: PostgreSQL at ${PG_ADMIN_URI} did not answer (set TROVE_REQUIRE_POSTGRES=1 to make this an error)`, () => {});
});
