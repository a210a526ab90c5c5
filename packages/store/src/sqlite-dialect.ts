import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, type SqliteDriver } from 'kysely';

/**
 * Kysely's SQLite dialect, with transactions that take the write lock up front (`BEGIN
 * IMMEDIATE`). With several processes on one file (`--workers`), a deferred transaction that
 * reads and then writes can fail at once with SQLITE_BUSY instead of waiting for busy_timeout.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver() as SqliteDriver;
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}
