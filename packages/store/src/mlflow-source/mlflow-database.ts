import type {
  DatasetInput,
  ImportExperiment,
  ImportMetricPoint,
  ImportModel,
  ImportModelVersion,
  ImportRun,
  KeyValue,
} from '@trove/protocol';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { isPostgresUri } from '../postgres-store.ts';

/** MLflow 2.17's schema head (alembic revision); see docs/import-export.md for the others read. */
export const MLFLOW_2_17_REVISION = 'f5a4f2784254';

/**
 * An MLflow tracking database (SQLite file or PostgreSQL), read-only: the rows of MLflow's own
 * schema as `trove import` needs them. Tables a schema predates (aliases, datasets) read as empty.
 */
export interface MlflowDatabase {
  readonly schemaVersion: string;
  experiments(): Promise<ImportExperiment[]>;
  runIds(experimentId: string): Promise<string[]>;
  run(runUuid: string): Promise<ImportRun>;
  /** A page of a run's points in (key, timestamp, step, value) order, after `after` (exclusive). */
  metricPage(runUuid: string, after: MetricCursor | undefined, limit: number): Promise<MetricRow[]>;
  metricCount(runUuid: string): Promise<number>;
  models(): Promise<ImportModel[]>;
  close(): Promise<void>;
}

export interface MetricRow extends ImportMetricPoint {
  isNan: boolean;
  stored: number;
}
export type MetricCursor = Pick<MetricRow, 'key' | 'timestamp' | 'step' | 'isNan' | 'stored'>;

// MLflow's schema, not Trove's: read untyped.
type AnyDb = Kysely<any>;
type Row = Record<string, unknown>;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const optNum = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const optStr = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

function connect(uri: string): AnyDb {
  if (isPostgresUri(uri)) {
    const pool = new pg.Pool({ connectionString: uri.replace(/^postgresql\+\w+:/, 'postgresql:'), max: 2 });
    return new Kysely({ dialect: new PostgresDialect({ pool }) });
  }
  const path = uri.replace(/^sqlite:\/\/\//, '').replace(/^sqlite:\/\//, '');
  const database = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  return new Kysely({ dialect: new SqliteDialect({ database }) });
}

async function hasTable(db: AnyDb, table: string): Promise<boolean> {
  try {
    await sql`SELECT 1 FROM ${sql.table(table)} WHERE 1 = 0`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** Opens an MLflow database (`sqlite:///path/mlflow.db`, a plain path, or `postgresql://…`) and reads its schema version. */
export async function openMlflowDatabase(uri: string): Promise<MlflowDatabase> {
  const db = connect(uri);
  let schemaVersion: string;
  try {
    const r = await sql<{ version_num: string }>`SELECT version_num FROM alembic_version`.execute(db);
    schemaVersion = r.rows[0]?.version_num ?? '';
  } catch (e) {
    await db.destroy();
    throw new Error(`${uri} is not an MLflow tracking database (no alembic_version table): ${(e as Error).message}`);
  }
  // MLflow 3's tables (logged models, assessments) have no layout documented here to read them by:
  // refused rather than guessed at, or silently left behind. Its REST API carries them (`--from`).
  if (await hasTable(db, 'logged_models')) {
    await db.destroy();
    throw new Error(
      `${uri} is an MLflow 3 database (alembic revision ${schemaVersion || 'unknown'}, with a logged_models table): ` +
        '`--from-db` reads MLflow 2.x schemas only; import from the MLflow 3 server over REST with `--from http://…`, which brings logged models',
    );
  }
  const [aliases, datasets, storageLocation] = await Promise.all([
    hasTable(db, 'registered_model_aliases'),
    hasTable(db, 'inputs'),
    sql`SELECT storage_location FROM model_versions WHERE 1 = 0`.execute(db).then(
      () => true,
      () => false,
    ),
  ]);
  return createReader(db, schemaVersion, { aliases, datasets, storageLocation });
}

function keyValues(rows: Row[]): KeyValue[] {
  return rows.map((r) => ({ key: str(r.key), value: str(r.value) }));
}

function createReader(
  db: AnyDb,
  schemaVersion: string,
  has: { aliases: boolean; datasets: boolean; storageLocation: boolean },
): MlflowDatabase {
  return {
    schemaVersion,
    async experiments() {
      const rows = (await sql<Row>`SELECT * FROM experiments ORDER BY experiment_id`.execute(db)).rows;
      const tags = (await sql<Row>`SELECT experiment_id, key, value FROM experiment_tags ORDER BY key`.execute(db))
        .rows;
      return rows.map((r) => {
        const id = String(r.experiment_id);
        const own = tags.filter((t) => String(t.experiment_id) === id);
        const e: ImportExperiment = {
          experiment_id: id,
          name: str(r.name),
          artifact_location: str(r.artifact_location),
          lifecycle_stage: str(r.lifecycle_stage) === 'deleted' ? 'deleted' : 'active',
          creation_time: num(r.creation_time),
          last_update_time: num(r.last_update_time),
        };
        if (own.length > 0) e.tags = keyValues(own);
        return e;
      });
    },
    async runIds(experimentId) {
      const rows = (
        await sql<Row>`SELECT run_uuid FROM runs WHERE experiment_id = ${Number(experimentId)} ORDER BY start_time, run_uuid`.execute(
          db,
        )
      ).rows;
      return rows.map((r) => str(r.run_uuid));
    },
    async run(runUuid) {
      const r = (await sql<Row>`SELECT * FROM runs WHERE run_uuid = ${runUuid}`.execute(db)).rows[0];
      if (!r) throw new Error(`run ${runUuid} vanished from the MLflow database while importing`);
      const params = (
        await sql<Row>`SELECT key, value FROM params WHERE run_uuid = ${runUuid} ORDER BY key`.execute(db)
      ).rows;
      const tags = (await sql<Row>`SELECT key, value FROM tags WHERE run_uuid = ${runUuid} ORDER BY key`.execute(db))
        .rows;
      const run: ImportRun = {
        info: {
          run_id: runUuid,
          run_uuid: runUuid,
          run_name: str(r.name),
          experiment_id: String(r.experiment_id),
          user_id: str(r.user_id),
          status: (str(r.status) || 'FINISHED') as ImportRun['info']['status'],
          start_time: num(r.start_time),
          end_time: optNum(r.end_time),
          artifact_uri: str(r.artifact_uri),
          lifecycle_stage: str(r.lifecycle_stage) === 'deleted' ? 'deleted' : 'active',
          deleted_time: optNum(r.deleted_time),
        },
        params: keyValues(params),
        tags: keyValues(tags),
        inputs: has.datasets ? await datasetInputs(db, runUuid) : [],
      };
      return run;
    },
    async metricPage(runUuid, after, limit) {
      const cursor = after
        ? sql`AND (key, timestamp, step, is_nan, value) > (${after.key}, ${after.timestamp}, ${after.step}, ${after.isNan}, ${after.stored})`
        : sql``;
      const rows = (
        await sql<Row>`SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ${runUuid} ${cursor}
          ORDER BY key, timestamp, step, is_nan, value LIMIT ${limit}`.execute(db)
      ).rows;
      return rows.map((m) => {
        const isNan = m.is_nan === true || Number(m.is_nan) === 1;
        const stored = Number(m.value);
        return {
          key: str(m.key),
          value: isNan ? Number.NaN : stored,
          stored,
          timestamp: num(m.timestamp),
          step: num(m.step),
          isNan,
        };
      });
    },
    async metricCount(runUuid) {
      const r = await sql<Row>`SELECT COUNT(*) AS n FROM metrics WHERE run_uuid = ${runUuid}`.execute(db);
      return num(r.rows[0]?.n);
    },
    async models() {
      const models = (await sql<Row>`SELECT * FROM registered_models ORDER BY name`.execute(db)).rows;
      const versions = (await sql<Row>`SELECT * FROM model_versions ORDER BY name, version`.execute(db)).rows;
      const modelTags = (await sql<Row>`SELECT name, key, value FROM registered_model_tags ORDER BY key`.execute(db))
        .rows;
      const versionTags = (
        await sql<Row>`SELECT name, version, key, value FROM model_version_tags ORDER BY key`.execute(db)
      ).rows;
      const aliases = has.aliases
        ? (await sql<Row>`SELECT name, alias, version FROM registered_model_aliases ORDER BY alias`.execute(db)).rows
        : [];
      return models.map((m) => {
        const name = str(m.name);
        const own = modelTags.filter((t) => t.name === name);
        const model: ImportModel['model'] = {
          name,
          creation_timestamp: num(m.creation_time),
          last_updated_timestamp: num(m.last_updated_time),
          description: optStr(m.description),
          tags: keyValues(own),
          aliases: aliases
            .filter((a) => a.name === name)
            .map((a) => ({ alias: str(a.alias), version: String(a.version) })),
        };
        const vs = versions
          .filter((v) => v.name === name)
          .map((v): ImportModelVersion => {
            const stage = str(v.current_stage);
            return {
              name,
              version: String(v.version),
              creation_timestamp: num(v.creation_time),
              last_updated_timestamp: num(v.last_updated_time),
              user_id: optStr(v.user_id),
              current_stage: stage === 'Deleted_Internal' ? 'None' : stage || 'None',
              description: optStr(v.description),
              source: str(v.source),
              run_id: optStr(v.run_id) || undefined,
              status: 'READY',
              status_message: optStr(v.status_message),
              run_link: optStr(v.run_link) || undefined,
              storage_location: has.storageLocation ? optStr(v.storage_location) : undefined,
              tags: keyValues(versionTags.filter((t) => t.name === name && String(t.version) === String(v.version))),
              deleted: stage === 'Deleted_Internal',
            };
          });
        return { model, versions: vs };
      });
    },
    close: () => db.destroy(),
  };
}

async function datasetInputs(db: AnyDb, runUuid: string): Promise<DatasetInput[]> {
  const rows = (
    await sql<Row>`SELECT i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema, d.dataset_profile
      FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id
      WHERE i.destination_type = 'RUN' AND i.destination_id = ${runUuid} AND i.source_type = 'DATASET'
      ORDER BY d.name, d.digest`.execute(db)
  ).rows;
  const out: DatasetInput[] = [];
  for (const r of rows) {
    const tags = (
      await sql<Row>`SELECT name AS key, value FROM input_tags WHERE input_uuid = ${str(r.input_uuid)} ORDER BY name`.execute(
        db,
      )
    ).rows;
    out.push({
      tags: keyValues(tags),
      dataset: {
        name: str(r.name),
        digest: str(r.digest),
        source_type: str(r.dataset_source_type),
        source: str(r.dataset_source),
        schema: optStr(r.dataset_schema),
        profile: optStr(r.dataset_profile),
      },
    });
  }
  return out;
}
