/**
 * How each server process uses PostgreSQL; read once from the environment by `parseServerConfig`.
 * The defaults and the measurements that chose them: docs/deployment.md, "Pool size and statement timeout".
 */
export interface DatabaseConfig {
  /** Connections in this process's pool (`TROVE_DB_POOL_SIZE`, default 10). PostgreSQL only. */
  poolSize: number;
  /**
   * PostgreSQL cancels a statement of a request that runs longer (`TROVE_DB_STATEMENT_TIMEOUT_MS`,
   * default 30 000; 0 = no limit), so one runaway query cannot hold a pooled connection for good.
   * Migrations at start are exempt.
   */
  statementTimeoutMs: number;
}

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

function integer(name: string, value: string | undefined, fallback: number, min: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (Number.isInteger(n) && n >= min) return n;
  problems.push(`${name} must be an integer ≥ ${min}, got ${value}`);
  return fallback;
}

export function readDatabaseConfig(env: NodeJS.ProcessEnv, problems: string[]): DatabaseConfig {
  return {
    poolSize: integer('TROVE_DB_POOL_SIZE', env.TROVE_DB_POOL_SIZE, DEFAULT_POOL_SIZE, 1, problems),
    statementTimeoutMs: integer(
      'TROVE_DB_STATEMENT_TIMEOUT_MS',
      env.TROVE_DB_STATEMENT_TIMEOUT_MS,
      DEFAULT_STATEMENT_TIMEOUT_MS,
      0,
      problems,
    ),
  };
}
