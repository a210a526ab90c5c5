import { randomBytes } from 'node:crypto';
import { openStore, runInTransaction } from '@trove/store';
import { API, callJson, type HttpClient } from '../lib/client.ts';

/**
 * A tracking store shaped like a team's year of sweeps: `runs` runs in all, of which 1% are
 * consumer runs (batch scoring, evaluation) and the rest sweeps of 50 (a parent and 49 children,
 * `mlflow.parentRunId`). Each parent reads one training dataset (two sweeps per dataset) and
 * carries a git commit; the first child of each sweep produced a logged model; one sweep in ten
 * was registered (20 registered models), deployed to staging and prod, and its logged model is
 * loaded by the consumer runs. Runs, tags, datasets and logged models go straight into the store
 * (batched inserts); the registry and the deployments through the API, as clients make them.
 */
export const SWEEP_SIZE = 50;
const BATCH = 1000;
const MODELS = 20;

const hex = () => randomBytes(16).toString('hex');

async function insertAll<T>(db: any, table: string, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + BATCH))
      .execute();
}

export async function seedLineageStore(
  storeUri: string,
  experimentId: number,
  consumerExperimentId: number,
  runs: number,
): Promise<{ sweeps: { parent: string; producer: string; model: string; dataset: number }[]; consumers: string[] }> {
  const store = await openStore(storeUri);
  const consumers = Math.max(1, Math.floor(runs / 100));
  const sweepCount = Math.floor((runs - consumers) / SWEEP_SIZE);
  const start = Date.UTC(2025, 0, 1);
  const sweeps: { parent: string; producer: string; model: string; dataset: number }[] = [];
  const consumerIds: string[] = [];
  try {
    const datasetRows = Array.from({ length: Math.ceil(sweepCount / 2) }, (_, i) => ({
      experiment_id: experimentId,
      name: `train-${i}`,
      digest: hex().slice(0, 8),
      source_type: 's3',
      source: `s3://bench/train-${i}.parquet`,
      schema: null,
      profile: null,
    }));
    await runInTransaction(store, (tx) => insertAll(tx, 'datasets', datasetRows));
    const datasetIds = (
      await store.db.selectFrom('datasets').select(['id', 'name']).where('experiment_id', '=', experimentId).execute()
    )
      .sort((a, b) => Number(a.name.slice(6)) - Number(b.name.slice(6)))
      .map((d) => Number(d.id));
    const runRow = (uuid: string, name: string, experiment: number, t: number) => ({
      run_uuid: uuid,
      experiment_id: experiment,
      name,
      user_id: 'bench',
      status: 'FINISHED',
      start_time: t,
      end_time: t + 60_000,
      artifact_uri: `file:///bench/${uuid}/artifacts`,
      lifecycle_stage: 'active',
      deleted_time: null,
    });
    // One transaction per 20 sweeps (1,000 runs): runs first, then their tags, inputs and models by run key.
    for (let s0 = 0; s0 < sweepCount; s0 += 20) {
      await runInTransaction(store, async (tx) => {
        const batch: { parent: string; producer: string; model: string; dataset: number; uuids: string[] }[] = [];
        const runRows = [];
        for (let s = s0; s < Math.min(sweepCount, s0 + 20); s++) {
          const uuids = Array.from({ length: SWEEP_SIZE }, hex);
          const t = start + s * 3_600_000;
          runRows.push(
            ...uuids.map((u, i) => runRow(u, i === 0 ? `sweep-${s}` : `sweep-${s}-trial-${i}`, experimentId, t)),
          );
          batch.push({ parent: uuids[0], producer: uuids[1], model: `m-${hex()}`, dataset: datasetIds[s >> 1], uuids });
        }
        await insertAll(tx, 'runs', runRows);
        const keys = new Map(
          (
            await tx
              .selectFrom('runs')
              .select(['id', 'run_uuid'])
              .where(
                'run_uuid',
                'in',
                runRows.map((r) => r.run_uuid),
              )
              .execute()
          ).map((r) => [r.run_uuid, Number(r.id)]),
        );
        const tags = [];
        for (const b of batch)
          for (const [i, u] of b.uuids.entries()) {
            const run_id = keys.get(u) as number;
            tags.push({ run_id, key: 'mlflow.source.name', value: 'train.py' });
            tags.push({ run_id, key: 'mlflow.source.git.commit', value: hex().slice(0, 40) });
            if (i > 0) tags.push({ run_id, key: 'mlflow.parentRunId', value: b.parent });
          }
        await insertAll(tx, 'run_tags', tags);
        await insertAll(
          tx,
          'run_inputs',
          batch.map((b) => ({ run_id: keys.get(b.parent), dataset_id: b.dataset, tags_json: '[]' })),
        );
        await insertAll(
          tx,
          'logged_models',
          batch.map((b, i) => ({
            model_id: b.model,
            experiment_id: experimentId,
            name: 'model',
            artifact_uri: `file:///bench/models/${b.model}`,
            status: 'READY',
            status_message: null,
            model_type: null,
            source_run_id: b.producer,
            creation_time: start + (s0 + i) * 3_600_000,
            last_update_time: start + (s0 + i) * 3_600_000,
            lifecycle_stage: 'active',
          })),
        );
        await insertAll(
          tx,
          'run_model_edges',
          batch.map((b) => ({ run_id: keys.get(b.producer), model_id: b.model, direction: 'output', step: 0 })),
        );
        for (const b of batch)
          sweeps.push({ parent: b.parent, producer: b.producer, model: b.model, dataset: b.dataset });
      });
    }
    // Consumers load the logged models of registered sweeps (every tenth).
    const registered = sweeps.filter((_, i) => i % 10 === 0);
    for (let c0 = 0; c0 < consumers; c0 += BATCH) {
      await runInTransaction(store, async (tx) => {
        const rows = Array.from({ length: Math.min(BATCH, consumers - c0) }, (_, i) =>
          runRow(hex(), `score-${c0 + i}`, consumerExperimentId, start + (c0 + i) * 60_000),
        );
        await insertAll(tx, 'runs', rows);
        const keys = await tx
          .selectFrom('runs')
          .select(['id', 'run_uuid'])
          .where(
            'run_uuid',
            'in',
            rows.map((r) => r.run_uuid),
          )
          .execute();
        const byUuid = new Map(keys.map((k) => [k.run_uuid, Number(k.id)]));
        await insertAll(
          tx,
          'run_model_edges',
          rows.map((r, i) => ({
            run_id: byUuid.get(r.run_uuid),
            model_id: registered[(c0 + i) % registered.length].model,
            direction: 'input',
            step: 0,
          })),
        );
        consumerIds.push(...rows.map((r) => r.run_uuid));
      });
    }
    return { sweeps, consumers: consumerIds };
  } finally {
    await store.close();
  }
}

/** Registers every tenth sweep's logged model, with aliases, a stage and two deployments each. */
export async function seedRegistry(
  client: HttpClient,
  sweeps: { producer: string; model: string }[],
): Promise<{ name: string; version: string; sweep: number }[]> {
  const out: { name: string; version: string; sweep: number }[] = [];
  for (let m = 0; m < MODELS; m++)
    await callJson(client, 'POST', `${API}/registered-models/create`, { name: `bench-model-${m}` });
  for (let s = 0; s < sweeps.length; s += 10) {
    const name = `bench-model-${(s / 10) % MODELS}`;
    const { model_version } = await callJson(client, 'POST', `${API}/model-versions/create`, {
      name,
      source: `models:/${sweeps[s].model}`,
      model_id: sweeps[s].model,
      run_id: sweeps[s].producer,
    });
    const version = String(model_version.version);
    await callJson(client, 'POST', `${API}/registered-models/alias`, { name, alias: 'champion', version });
    for (const environment of ['staging', 'prod'])
      await callJson(client, 'POST', '/api/trove/v1/deployments', { name, version, environment });
    out.push({ name, version, sweep: s });
  }
  return out;
}
