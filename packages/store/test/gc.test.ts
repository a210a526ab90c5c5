import { describe, expect, it } from 'vitest';
import { openTestStore } from '../../../test/support/backend.ts';
import {
  insertSavedView,
  listExperimentKeys,
  listSavedViews,
  planGarbage,
  purgeExperiment,
  purgeRuns,
  registerExperimentKeys,
} from '../src/index.ts';

describe('gc (planGarbage / purgeRuns / purgeExperiment)', () => {
  it('plans by lifecycle stage and age, and purges runs and experiments with their rows', async () => {
    const store = await openTestStore();
    const { db } = store;
    try {
      const ws = await db
        .insertInto('workspaces')
        .values({ name: 'gc-ws', description: null, creation_time: 1, default_experiment_id: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const exp = async (name: string, deleted: number | null) =>
        Number(
          (
            await db
              .insertInto('experiments')
              .values({
                workspace_id: ws.id,
                name,
                artifact_location: `mlflow-artifacts:/${name}`,
                lifecycle_stage: deleted === null ? 'active' : 'deleted',
                creation_time: 1,
                last_update_time: 1,
                deleted_time: deleted,
              })
              .returning('experiment_id')
              .executeTakeFirstOrThrow()
          ).experiment_id,
        );
      const run = async (experimentId: number, uuid: string, deleted: number | null) => {
        const id = Number(
          (
            await db
              .insertInto('runs')
              .values({
                run_uuid: uuid,
                experiment_id: experimentId,
                name: uuid,
                user_id: 'u',
                status: 'FINISHED',
                start_time: 1,
                end_time: 2,
                artifact_uri: `mlflow-artifacts:/${experimentId}/${uuid}/artifacts`,
                lifecycle_stage: deleted === null ? 'active' : 'deleted',
                deleted_time: deleted,
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        );
        await db.insertInto('params').values({ run_id: id, key: 'p', value: '1', value_type: 'string' }).execute();
        await db.insertInto('run_tags').values({ run_id: id, key: 't', value: 'v' }).execute();
        const series = await db
          .insertInto('metric_series')
          .values({
            run_id: id,
            key: 'm',
            value: 1,
            is_nan: 0,
            step: 1,
            timestamp: 1,
            min_value: 0,
            max_value: 1,
            point_count: 2,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const step of [0, 1])
          await db
            .insertInto('metric_points')
            .values({
              series_id: series.id,
              timestamp: 1,
              step,
              is_nan: 0,
              value: step,
              model_id: null,
              dataset_name: null,
              dataset_digest: null,
            })
            .execute();
        return id;
      };
      const kept = await exp('kept', null);
      const gone = await exp('gone', 1000);
      const recent = await exp('recent', 5000);
      await db.insertInto('experiment_tags').values({ experiment_id: gone, key: 'k', value: 'v' }).execute();
      await db
        .insertInto('datasets')
        .values({
          experiment_id: gone,
          name: 'd',
          digest: 'x',
          source_type: 'local',
          source: '{}',
          schema: null,
          profile: null,
        })
        .execute();
      for (const experiment_id of [gone, kept])
        await insertSavedView(db, {
          workspace_id: ws.id,
          experiment_id,
          name: 'v',
          owner: 'u',
          state: '{"version":1}',
          creation_time: 1,
          last_update_time: 1,
        });
      await registerExperimentKeys(
        db,
        [gone, kept].map((experimentId) => ({ experimentId, kind: 'param' as const, key: 'p' })),
      );
      await run(kept, 'live', null);
      const oldDeleted = await run(kept, 'old-deleted', 1000);
      await run(kept, 'new-deleted', 5000);
      await run(gone, 'in-gone-1', null);
      await run(gone, 'in-gone-2', 1000);
      await run(recent, 'in-recent', null);

      const plan = await planGarbage(db, 2000);
      expect(plan.runs.map((r) => r.run_uuid)).toEqual(['old-deleted']);
      expect(plan.experiments.map((e) => [e.experiment_id, e.runs.map((r) => r.run_uuid)])).toEqual([
        [gone, ['in-gone-1', 'in-gone-2']],
      ]);
      expect((await planGarbage(db, 10_000)).experiments.map((e) => e.name)).toEqual(['gone', 'recent']);

      await purgeRuns(db, [oldDeleted]);
      await purgeExperiment(db, plan.experiments[0]);
      const uuids = (await db.selectFrom('runs').select('run_uuid').orderBy('run_uuid').execute()).map(
        (r) => r.run_uuid,
      );
      expect(uuids).toEqual(['in-recent', 'live', 'new-deleted']);
      const count = async (
        t: 'params' | 'run_tags' | 'metric_series' | 'metric_points' | 'experiment_tags' | 'datasets' | 'experiments',
      ) =>
        Number(
          (
            await db
              .selectFrom(t)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count('params')).toBe(3);
      expect(await count('run_tags')).toBe(3);
      expect(await count('metric_series')).toBe(3);
      expect(await count('metric_points')).toBe(6);
      expect(await count('experiment_tags')).toBe(0);
      expect(await count('datasets')).toBe(0);
      expect([(await listSavedViews(db, gone, 10, 0)).length, (await listSavedViews(db, kept, 10, 0)).length]).toEqual([
        0, 1,
      ]);
      expect([(await listExperimentKeys(db, gone)).params, (await listExperimentKeys(db, kept)).params]).toEqual([
        [],
        ['p'],
      ]);
      expect(
        (
          await db.selectFrom('experiments').select('name').where('workspace_id', '=', ws.id).orderBy('name').execute()
        ).map((e) => e.name),
      ).toEqual(['kept', 'recent']);
    } finally {
      await store.close();
    }
  });
});
