import { describe, expect, it } from 'vitest';
import { openTestStore } from '../../../test/support/backend.ts';
import { searchTraces } from '../src/index.ts';

// trace-drivers.ts picks how a page is read from a capped count of a term's candidates (10,000):
// few, and they drive; many, and the experiment is walked in time order. Both plans must give the
// same pages; this seeds enough traces for a tag on either side of the line.
const TRACES = 12_000;

describe('trace search plans (few and many candidates)', () => {
  it('gives every page in order through either plan', async () => {
    const store = await openTestStore();
    try {
      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'plans', description: null, creation_time: 1, default_experiment_id: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const exp = Number(
        (
          await store.db
            .insertInto('experiments')
            .values({
              workspace_id: ws.id,
              name: 'plans',
              artifact_location: 'mlflow-artifacts:/plans',
              lifecycle_stage: 'active',
              creation_time: 1,
              last_update_time: 1,
              deleted_time: null,
            })
            .returning('experiment_id')
            .executeTakeFirstOrThrow()
        ).experiment_id,
      );
      // Trace i: time 1000 + (i * 7919) % TRACES (shuffled against insertion), tag env 'common'
      // on all but every 50th, tag user 'rare' on every 2500th.
      const time = (i: number) => 1000 + ((i * 7919) % TRACES);
      for (let from = 0; from < TRACES; from += 1000) {
        const rows = Array.from({ length: 1000 }, (_, k) => ({
          trace_id: `t${from + k}`,
          experiment_id: exp,
          timestamp_ms: time(from + k),
          state: 'OK',
        }));
        const pks = await store.db.insertInto('traces').values(rows).returning(['id', 'trace_id']).execute();
        const tags = pks.flatMap((p) => {
          const i = Number(p.trace_id.slice(1));
          return [
            ...(i % 50 === 0 ? [] : [{ trace_pk: Number(p.id), key: 'env', value: 'common' }]),
            ...(i % 2500 === 0 ? [{ trace_pk: Number(p.id), key: 'user', value: 'rare' }] : []),
          ];
        });
        for (let j = 0; j < tags.length; j += 500)
          await store.db
            .insertInto('trace_tags')
            .values(tags.slice(j, j + 500))
            .execute();
      }
      const all = Array.from({ length: TRACES }, (_, i) => i).sort((a, b) => time(b) - time(a));
      const pages = async (filter: string) => {
        const names: string[] = [];
        let token: string | undefined;
        do {
          const page = await searchTraces(store, {
            experimentIds: [exp],
            filter,
            maxResults: 1000,
            orderBy: [],
            pageToken: token,
          });
          const rows = await store.db
            .selectFrom('traces')
            .select(['id', 'trace_id'])
            .where('id', 'in', page.ids.length ? page.ids : [-1])
            .execute();
          const byId = new Map(rows.map((r) => [Number(r.id), r.trace_id]));
          names.push(...page.ids.map((id) => byId.get(id) as string));
          token = page.nextPageToken;
        } while (token);
        return names;
      };
      expect(await pages("tags.env = 'common'")).toEqual(all.filter((i) => i % 50 !== 0).map((i) => `t${i}`));
      expect(await pages("tags.user = 'rare'")).toEqual(all.filter((i) => i % 2500 === 0).map((i) => `t${i}`));
      expect(await pages("tags.env = 'common' AND tags.user = 'rare'")).toEqual(
        all.filter((i) => i % 2500 === 0 && i % 50 !== 0).map((i) => `t${i}`),
      );
    } finally {
      await store.close();
    }
  });
});
