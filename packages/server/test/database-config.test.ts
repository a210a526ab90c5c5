import { describe, expect, it } from 'vitest';
import { parseServerConfig } from '../src/config.ts';

describe('TROVE_DB_POOL_SIZE and TROVE_DB_STATEMENT_TIMEOUT_MS', () => {
  it('default to a pool of 10 and a 30 s statement timeout', () => {
    expect(parseServerConfig({}, {}).database).toEqual({ poolSize: 10, statementTimeoutMs: 30_000 });
  });

  it('read both from the environment; 0 turns the timeout off', () => {
    const env = { TROVE_DB_POOL_SIZE: '4', TROVE_DB_STATEMENT_TIMEOUT_MS: '0' };
    expect(parseServerConfig({}, env).database).toEqual({ poolSize: 4, statementTimeoutMs: 0 });
  });

  it('refuse a pool below 1 and a timeout that is no whole number of milliseconds, naming both', () => {
    const env = { TROVE_DB_POOL_SIZE: '0', TROVE_DB_STATEMENT_TIMEOUT_MS: '1.5s' };
    expect(() => parseServerConfig({}, env)).toThrow(
      /TROVE_DB_POOL_SIZE must be an integer ≥ 1, got 0[\s\S]*TROVE_DB_STATEMENT_TIMEOUT_MS must be an integer ≥ 0, got 1.5s/,
    );
  });
});
