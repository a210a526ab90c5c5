import { randomBytes } from 'node:crypto';
import { openForSeeding, runStatements } from '../lib/seed.ts';
import { rng } from '../lib/stats.ts';

export interface WideSeed {
  runs: number;
  params: number;
  metrics: number;
  ms: number;
}

/**
 * `n` finished runs in `experimentId`, each with `params` params (`p00`…, a few values each),
 * `metrics` metrics (`m00`…, one point each) and the `mlflow.runName`/`mlflow.user` tags,
 * written straight into the SQLite file while no server runs (same invariants as bench/lib/seed.ts).
 */
export function seedWideRuns(
  dbPath: string,
  experimentId: number,
  n: number,
  params: number,
  metrics: number,
): WideSeed {
  const t0 = performance.now();
  const db = openForSeeding(dbPath);
  const { root, insertRun, insertParam, insertTag, insertSeries, insertPoint } = runStatements(
    db,
    dbPath,
    experimentId,
  );
  const paramKeys = Array.from({ length: params }, (_, i) => `p${String(i).padStart(2, '0')}`);
  const metricKeys = Array.from({ length: metrics }, (_, i) => `m${String(i).padStart(2, '0')}`);
  const random = rng(5);
  const base = Date.UTC(2025, 0, 1);
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const uuid = randomBytes(16).toString('hex');
      const name = `wide-run-${i}`;
      const user = `user${i % 7}`;
      const start = base + i * 1000;
      const end = start + 600_000;
      const runId = Number(
        insertRun.run(uuid, experimentId, name, user, start, end, `${root}/${uuid}/artifacts`).lastInsertRowid,
      );
      for (let p = 0; p < params; p++) insertParam.run(runId, paramKeys[p], String(Math.floor(random() * (p + 3))));
      insertTag.run(runId, 'mlflow.runName', name);
      insertTag.run(runId, 'mlflow.user', user);
      for (const key of metricKeys) {
        const value = random();
        const seriesId = Number(insertSeries.run(runId, key, value, 100, end, value, value).lastInsertRowid);
        insertPoint.run(seriesId, end, 100, value);
      }
    }
  });
  for (let i = 0; i < n; i += 2000) batch(i, Math.min(n, i + 2000));
  db.close();
  return { runs: n, params, metrics, ms: performance.now() - t0 };
}
