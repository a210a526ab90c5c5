/**
 * The PostgreSQL ingest writer's statements (`postgres-run-data-writer.ts` composes and sends them):
 * params, tags, series locks, the points' folds into their series, moved rows, model metrics.
 */
import { pgRegisterKeysFrom } from './experiment-keys.ts';
import { POINTS_STAGING } from './metrics/postgres-bulk-copy.ts';

// Params and tags register their keys with the experiment in the statement that writes them.
// A batch with metrics runs the params CTEs in its series-locking statement (`lockSeries`).
export const PARAMS_CTES = `inserted AS (
  INSERT INTO params (run_id, key, value, value_type)
  SELECT $1, k, v, t FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(k, v, t, i) ORDER BY i
  ON CONFLICT (run_id, key) DO NOTHING
  RETURNING key
), registered AS (${pgRegisterKeysFrom('param', 'inserted s')})`;
export const UPSERT_PARAMS = `WITH ${PARAMS_CTES}\nSELECT key FROM inserted`;

export const SELECT_PARAMS = 'SELECT key, value FROM params WHERE run_id = $1 AND key = ANY($2::text[])';

export const UPSERT_TAGS = `WITH upserted AS (
  INSERT INTO run_tags (run_id, key, value)
  SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS u(k, v)
  ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value
  RETURNING key
) ${pgRegisterKeysFrom('tag', 'upserted s')}`;

/** New series only (a run's first batch of a key), so the batches after it run no extra statement. */
export const REGISTER_METRICS = `registered_metrics AS (${pgRegisterKeysFrom('metric', 'unnest($2::text[]) AS s(key)')})`;

/**
 * Creates the missing series rows and locks every series row of the batch, in one statement and
 * in key order (so two writers of overlapping keys queue instead of deadlocking). The no-op
 * DO UPDATE is what takes the row lock on rows that already exist; placeholder values of a new
 * row are replaced below because its point_count is 0.
 */
export const LOCK_SERIES = `series AS (INSERT INTO metric_series AS m (run_id, key, value, is_nan, step, timestamp, min_value, max_value, point_count)
SELECT $1, k, 0, 0, 0, 0, NULL, NULL, 0 FROM unnest($2::text[]) WITH ORDINALITY AS u(k, i) ORDER BY i
ON CONFLICT (run_id, key) DO UPDATE SET point_count = m.point_count
RETURNING id, key, layout, point_count)`;

/**
 * Locks series rows known by id (`SeriesIdCache`) in the order given, the same key order as
 * LOCK_SERIES, without writing a row version as the upsert does. Rows that are gone are not returned.
 */
export const LOCK_SERIES_BY_ID = `series AS (SELECT s.id, s.key, s.layout, s.point_count
FROM unnest($1::int8[]) WITH ORDINALITY AS u(id, i) JOIN metric_series s ON s.id = u.id
ORDER BY u.i FOR UPDATE OF s)`;
export const SERIES_ROWS = 'SELECT id, key, layout, point_count, NULL::text AS param FROM series';
/** With the params CTEs: the series rows, then one row per param inserted (`param` set). */
export const SERIES_AND_PARAM_ROWS = `${SERIES_ROWS} UNION ALL SELECT NULL, NULL, NULL, NULL, key FROM inserted`;

const NEWER = '(s.point_count = 0 OR (l.step, l.timestamp, l.value) > (s.step, s.timestamp, s.value))';
/**
 * Folds per-series aggregates (a FROM item `l` with series_id, n, lo, hi and the latest point's
 * step, timestamp, value, is_nan) into their series: point_count grows by n, min/max take the
 * real values' bounds, and the latest point moves when the new one is later by MLflow's
 * (step, timestamp, value) order.
 */
const foldFrom = (name: string, from: string) => `${name} AS (UPDATE metric_series s SET
  value = CASE WHEN ${NEWER} THEN l.value ELSE s.value END,
  is_nan = CASE WHEN ${NEWER} THEN l.is_nan ELSE s.is_nan END,
  step = CASE WHEN ${NEWER} THEN l.step ELSE s.step END,
  timestamp = CASE WHEN ${NEWER} THEN l.timestamp ELSE s.timestamp END,
  min_value = LEAST(s.min_value, l.lo),
  max_value = GREATEST(s.max_value, l.hi),
  point_count = s.point_count + l.n
FROM ${from}
WHERE s.id = l.series_id)`;
/**
 * Folds the points of `points` (a CTE body yielding series_id, timestamp, step, is_nan, value)
 * into their series, aggregated here: for rows, whose duplicates only ON CONFLICT finds. As CTEs
 * named with `prefix`, for the request's write statement.
 */
const foldInto = (prefix: string, points: string) => `${prefix}_points AS (${points}), ${prefix}_agg AS (
  SELECT series_id, count(*) AS n, min(value) FILTER (WHERE is_nan = 0) AS lo, max(value) FILTER (WHERE is_nan = 0) AS hi
  FROM ${prefix}_points GROUP BY series_id
), ${prefix}_latest AS (
  SELECT DISTINCT ON (series_id) series_id, step, timestamp, value, is_nan
  FROM ${prefix}_points ORDER BY series_id, step DESC, timestamp DESC, value DESC, is_nan
), ${foldFrom(`${prefix}_fold`, `(SELECT agg.series_id, agg.n, agg.lo, agg.hi, x.step, x.timestamp, x.value, x.is_nan FROM ${prefix}_agg agg JOIN ${prefix}_latest x ON x.series_id = agg.series_id) l`)}`;
/** Points of row series (exact duplicates are dropped, as MLflow does); only the rows inserted are folded. */
export const INSERT_POINTS = foldInto(
  'row',
  `INSERT INTO metric_points (series_id, timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest)
  SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int4[], $5::float8[], $6::text[], $7::text[], $8::text[])
  ON CONFLICT DO NOTHING
  RETURNING series_id, timestamp, step, is_nan, value`,
);
/**
 * The fold of chunked series, aggregated by the writer (`batch-fold.ts`): the chunk planner
 * already dropped their duplicates, so each series sends one row, not its points.
 */
export const FOLD_CHUNKED = foldFrom(
  'chunked_fold',
  'unnest($1::int8[], $2::int8[], $3::float8[], $4::float8[], $5::int8[], $6::int8[], $7::float8[], $8::int4[]) AS l(series_id, n, lo, hi, step, timestamp, value, is_nan)',
);

/** INSERT_POINTS reading what a large batch COPYed into the staging table (`postgres-bulk-copy.ts`). */
export const INSERT_STAGED_POINTS = foldInto(
  'row',
  `INSERT INTO metric_points SELECT * FROM ${POINTS_STAGING} ON CONFLICT DO NOTHING
  RETURNING series_id, timestamp, step, is_nan, value`,
);

/** Rows moved out of chunks: already counted in their series. */
export const INSERT_MOVED_ROWS = `INSERT INTO metric_points (series_id, timestamp, step, is_nan, value)
SELECT $1, * FROM unnest($2::int8[], $3::int8[], $4::int4[], $5::float8[]) ON CONFLICT DO NOTHING`;

export const INSERT_MODEL_METRICS = `INSERT INTO logged_model_metrics (model_id, key, value, is_nan, timestamp, step, run_id, dataset_name, dataset_digest)
SELECT m, k, v, n, t, s, $1, dn, dd FROM unnest($2::text[], $3::text[], $4::float8[], $5::int4[], $6::int8[], $7::int8[], $8::text[], $9::text[]) AS u(m, k, v, n, t, s, dn, dd)`;
