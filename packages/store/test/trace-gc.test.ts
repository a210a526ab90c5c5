import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openTestStore } from '../../../test/support/backend.ts';
import {
  countExpiredTraces,
  experimentsWithTraces,
  expiryCondition,
  insertTrace,
  insertTraceAssessment,
  purgeExperiment,
  purgeTraces,
  reclaimSpace,
  type Store,
  selectExpiredTraces,
  upsertTraceKvs,
  upsertTraceSpans,
} from '../src/index.ts';

async function experiment(store: Store, name: string, deleted: boolean): Promise<number> {
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: `ws-${name}`, description: null, creation_time: 1, default_experiment_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const e = await store.db
    .insertInto('experiments')
    .values({
      workspace_id: ws.id,
      name,
      artifact_location: `mlflow-artifacts:/${name}`,
      lifecycle_stage: deleted ? 'deleted' : 'active',
      creation_time: 1,
      last_update_time: 1,
      deleted_time: deleted ? 1 : null,
    })
    .returning('experiment_id')
    .executeTakeFirstOrThrow();
  return Number(e.experiment_id);
}

/** A trace with a tag (its artifact location), a metadata entry, a 50 kB span and an assessment. */
async function trace(store: Store, experimentId: number, traceId: string, timestampMs: number): Promise<number> {
  const pk = await insertTrace(store.db, {
    trace_id: traceId,
    experiment_id: experimentId,
    timestamp_ms: timestampMs,
    state: 'OK',
  });
  await upsertTraceKvs(store.db, 'trace_tags', pk, [
    { key: 'mlflow.artifactLocation', value: `mlflow-artifacts:/${experimentId}/traces/${traceId}/artifacts` },
  ]);
  await upsertTraceKvs(store.db, 'trace_metadata', pk, [{ key: 'mlflow.traceInputs', value: 'q' }]);
  await upsertTraceSpans(store.db, [{ trace_pk: pk, span_id: 'a1', content: randomBytes(25_000).toString('hex') }]);
  await insertTraceAssessment(store.db, {
    assessment_id: `as-${traceId}`,
    trace_pk: pk,
    name: 'ok',
    kind: 'feedback',
    valid: 1,
    creation_time: 1,
    last_update_time: 1,
    content: '{}',
  });
  return pk;
}

async function rows(store: Store): Promise<number[]> {
  const out: number[] = [];
  for (const t of ['traces', 'trace_tags', 'trace_metadata', 'trace_spans', 'trace_assessments'] as const)
    out.push(
      Number(
        (
          await store.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
  return out;
}

describe('trace retention (trace-gc.ts) and reclaimSpace', () => {
  it('selects by age and by newest N per experiment, purges with every row, and vacuums', async () => {
    const store = await openTestStore();
    try {
      const a = await experiment(store, 'a', false);
      const b = await experiment(store, 'b', false);
      // a: t1…t6 at times 10…60 (t3 and t4 tie at 30); b: u1, u2 at 10, 20.
      const times = [10, 20, 30, 30, 40, 60];
      for (const [i, ts] of times.entries()) await trace(store, a, `t${i + 1}`, ts);
      await trace(store, b, 'u1', 10);
      await trace(store, b, 'u2', 20);
      expect(await experimentsWithTraces(store.db)).toEqual([a, b]);

      const ids = async (exp: number, r: Parameters<typeof expiryCondition>[2]) => {
        const c = await expiryCondition(store.db, exp, r);
        if (!c) return undefined;
        const selected = await selectExpiredTraces(store.db, exp, c, 100);
        expect(await countExpiredTraces(store.db, exp, c)).toBe(selected.length);
        return selected.map((t) => t.trace_id);
      };
      expect(await ids(a, {})).toBeUndefined();
      expect(await ids(a, { before: 30 })).toEqual(['t1', 't2']);
      // The newest 3 are t6, t5 and t4 (the later insert of the tie at 30).
      expect(await ids(a, { keepPerExperiment: 3 })).toEqual(['t1', 't2', 't3']);
      expect(await ids(a, { keepPerExperiment: 0 })).toHaveLength(6);
      expect(await ids(b, { keepPerExperiment: 3 })).toBeUndefined();
      expect(await ids(b, { keepPerExperiment: 3, before: 15 })).toEqual(['u1']);
      expect(await ids(a, { keepPerExperiment: 5, before: 25 })).toEqual(['t1', 't2']);

      const expired = await selectExpiredTraces(
        store.db,
        a,
        (await expiryCondition(store.db, a, { keepPerExperiment: 1 })) as never,
        100,
      );
      expect(expired[0].artifact_location).toBe(`mlflow-artifacts:/${a}/traces/t1/artifacts`);
      expect(await rows(store)).toEqual([8, 8, 8, 8, 8]);
      expect(
        await purgeTraces(
          store,
          expired.map((t) => t.id),
        ),
      ).toBe(5);
      expect(await rows(store)).toEqual([3, 3, 3, 3, 3]);

      const space = await reclaimSpace(store);
      expect(space.beforeBytes).toBeGreaterThan(0);
      if (store.ddl.name === 'sqlite') {
        // The file is rewritten without the ~250 kB of freed span pages.
        expect(space.afterBytes).toBeLessThan(space.beforeBytes - 200_000);
      } else {
        // Plain VACUUM makes the space reusable: as much span data again fits without growth.
        for (let i = 0; i < 5; i++) await trace(store, a, `r${i}`, 100 + i);
        expect((await reclaimSpace(store)).beforeBytes).toBeLessThan(space.afterBytes + 100_000);
      }
    } finally {
      await store.close();
    }
  });

  it('purging a deleted experiment removes its traces too', async () => {
    const store = await openTestStore();
    try {
      const kept = await experiment(store, 'kept', false);
      const gone = await experiment(store, 'gone', true);
      await trace(store, kept, 'k1', 1);
      await trace(store, gone, 'g1', 1);
      await trace(store, gone, 'g2', 2);
      await purgeExperiment(store.db, { experiment_id: gone, name: 'gone', artifact_location: '', runs: [] });
      expect(await rows(store)).toEqual([1, 1, 1, 1, 1]);
      expect(await experimentsWithTraces(store.db)).toEqual([kept]);
    } finally {
      await store.close();
    }
  });
});
