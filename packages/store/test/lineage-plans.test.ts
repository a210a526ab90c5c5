import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../test/support/backend.ts';
import { walkLineage } from '../src/lineage/lineage-walk.ts';
import { insertWorkspace } from '../src/repositories/workspace.repository.ts';
import { explainPostgres, explainSqlite, type Plan } from './support/explain-plan.ts';
import { type CaptureStore, openCaptureStore } from './support/sql-capture.ts';

// Every statement of the lineage walk reads every table through an index, on both databases (as
// query-plans.test.ts checks the hot reads): walks in both directions from each kind of node over a
// small graph, each statement explained with the values it ran with.
const backend = testBackend();
const TABLES = new Set([
  'runs',
  'run_tags',
  'run_inputs',
  'run_model_edges',
  'datasets',
  'logged_models',
  'model_versions',
  'registered_models',
  'registered_model_aliases',
  'deployments',
  'experiments',
]);

let capture: CaptureStore;
const plans: Plan[] = [];

async function seed(c: CaptureStore) {
  const db = c.store.db;
  const now = 1_700_000_000_000;
  const ws = await insertWorkspace(db, 'plans', null, now);
  const { experiment_id: exp } = await db
    .insertInto('experiments')
    .values({
      workspace_id: ws,
      name: 'e',
      artifact_location: 'file:///a',
      lifecycle_stage: 'active',
      creation_time: now,
      last_update_time: now,
      deleted_time: null,
    })
    .returning('experiment_id')
    .executeTakeFirstOrThrow();
  const run = async (uuid: string) =>
    Number(
      (
        await db
          .insertInto('runs')
          .values({
            run_uuid: uuid,
            experiment_id: Number(exp),
            name: uuid,
            user_id: 'u',
            status: 'FINISHED',
            start_time: now,
            end_time: now,
            artifact_uri: 'file:///a',
            lifecycle_stage: 'active',
            deleted_time: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    );
  const [parent, child, other, consumer] = [await run('p'), await run('c1'), await run('c2'), await run('r')];
  await db
    .insertInto('run_tags')
    .values([
      { run_id: child, key: 'mlflow.parentRunId', value: 'p' },
      { run_id: other, key: 'mlflow.parentRunId', value: 'p' },
      { run_id: parent, key: 'mlflow.source.git.commit', value: 'abc' },
    ])
    .execute();
  const { id: dataset } = await db
    .insertInto('datasets')
    .values({
      experiment_id: Number(exp),
      name: 'd',
      digest: 'x',
      source_type: 's3',
      source: 's3://d',
      schema: null,
      profile: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('run_inputs')
    .values({ run_id: parent, dataset_id: Number(dataset), tags_json: '[]' })
    .execute();
  await db
    .insertInto('logged_models')
    .values({
      model_id: 'm-1',
      experiment_id: Number(exp),
      name: 'lm',
      artifact_uri: 'file:///m',
      status: 'READY',
      status_message: null,
      model_type: null,
      source_run_id: 'c1',
      creation_time: now,
      last_update_time: now,
      lifecycle_stage: 'active',
    })
    .execute();
  await db
    .insertInto('run_model_edges')
    .values([
      { run_id: child, model_id: 'm-1', direction: 'output', step: 0 },
      { run_id: consumer, model_id: 'm-1', direction: 'input', step: 0 },
    ])
    .execute();
  const { id: model } = await db
    .insertInto('registered_models')
    .values({
      workspace_id: ws,
      name: 'rm',
      description: null,
      user_id: null,
      creation_time: now,
      last_update_time: now,
      next_version: 3,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const version = (v: number, runId: string | null, lm: string | null, stage: string) => ({
    model_id: Number(model),
    version: v,
    creation_time: now,
    last_update_time: now,
    description: null,
    user_id: null,
    current_stage: stage,
    source: 's',
    storage_location: null,
    run_id: runId,
    run_link: null,
    status_message: null,
    logged_model_id: lm,
    deleted: 0,
  });
  await db
    .insertInto('model_versions')
    .values([version(1, 'c1', 'm-1', 'Production'), version(2, 'c2', null, 'None')])
    .execute();
  await db
    .insertInto('registered_model_aliases')
    .values({ model_id: Number(model), alias: 'champion', version: 1 })
    .execute();
  const { id: deployment } = await db
    .insertInto('deployments')
    .values({
      workspace_id: ws,
      model_id: Number(model),
      model_name: 'rm',
      version: 1,
      environment: 'prod',
      status: 'running',
      url: null,
      description: null,
      actor: null,
      time: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ws, exp: String(exp), deployment: String(deployment) };
}

beforeAll(async () => {
  capture = await openCaptureStore();
  const { ws, exp, deployment } = await seed(capture);
  const { store } = capture;
  if (store.ddl.name === 'postgres') await sql`VACUUM ANALYZE`.execute(store.db);
  const scope = { workspaceId: ws };
  const walks = [
    { type: 'dataset', experimentId: exp, name: 'd', digest: 'x' },
    { type: 'run', runId: 'c1' },
    { type: 'run', runId: 'r' },
    { type: 'logged_model', modelId: 'm-1' },
    { type: 'model_version', name: 'rm', version: 1 },
    { type: 'alias', name: 'rm', alias: 'champion' },
    { type: 'stage', name: 'rm', stage: 'Production' },
    { type: 'deployment', deploymentId: deployment },
  ] as const;
  for (const root of walks)
    for (const direction of ['up', 'down'] as const) {
      const graph = await capture.step(`${root.type} ${direction}`, () =>
        walkLineage(store.db, scope, root, { direction, depth: 10, limit: 500 }),
      );
      expect(graph, `${root.type} ${direction}`).toBeDefined();
    }
  const seen = new Set<string>();
  for (const step of capture.takeSteps())
    for (const statement of step.statements) {
      if (seen.has(statement.sql)) continue;
      seen.add(statement.sql);
      plans.push(store.sqlite ? await explainSqlite(store.sqlite, statement) : await explainPostgres(store, statement));
    }
});
afterAll(() => capture?.close());

describe(`lineage walk query plans (${backend})`, () => {
  it('reads every table through an index: a key or a 0016 reverse-edge index, never a scan', () => {
    expect(plans.length).toBeGreaterThan(10);
    for (const p of plans)
      for (const a of p.accesses) {
        if (!TABLES.has(a.table)) continue;
        expect(
          a.indexed,
          `${a.table} (${a.alias}) read by "${a.how}":\n${p.statement.sql}\n--- plan ---\n${p.text}`,
        ).toBe(true);
      }
  });

  // SQLite plans without statistics, so its plan here is its plan on a big store. Reading a
  // workspace's experiments or models by workspace (then everything in them) is an index search
  // too, but one that grows with the store: each statement must start from what the frontier names.
  it.runIf(backend === 'sqlite')('starts from the frontier, never from the workspace or an automatic index', () => {
    const WIDE = ['sqlite_autoindex_experiments_1', 'logged_models_by_experiment', 'runs_by_experiment_start'];
    for (const p of plans) {
      const where = `\n${p.statement.sql}\n--- plan ---\n${p.text}`;
      expect(p.text, where).not.toMatch(/AUTOMATIC/);
      for (const a of p.accesses)
        expect(
          a.indexes.filter((i) => WIDE.includes(i)),
          where,
        ).toEqual([]);
      // The one statement that looks a model up by its name in the workspace.
      if (!/FROM registered_models WHERE workspace_id/i.test(p.statement.sql))
        expect(p.text, where).not.toMatch(/sqlite_autoindex_registered_models_1/);
    }
  });

  it('walks the edges backwards on the indexes migration 0016 added', () => {
    const used = new Set(plans.flatMap((p) => p.accesses.flatMap((a) => a.indexes)));
    for (const index of [
      'run_inputs_by_dataset',
      'run_model_edges_by_model',
      'model_versions_by_logged_model',
      'logged_models_by_source_run',
    ])
      expect(used, index).toContain(index);
  });
});
