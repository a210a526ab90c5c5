import { describe, expect, it } from 'vitest';
import { openTestStore } from '../../../test/support/backend.ts';
import { runInTransaction, searchAudit, withAuditScope } from '../src/index.ts';

const entry = (requestId: string) => ({
  time: Date.now(),
  workspace_id: null,
  actor: 'alice',
  address: '127.0.0.1',
  request_id: requestId,
  action: 'test',
  resource_type: 'workspace',
  resource_id: null,
  status: 200,
  before_value: null,
  after_value: null,
});

describe('audit log', () => {
  it('commits the record with the mutation and rolls it back with it', async () => {
    const store = await openTestStore();
    try {
      await withAuditScope(entry('committed'), () =>
        runInTransaction(store, (tx) =>
          tx.insertInto('user_groups').values({ name: 'g1', description: null, creation_time: 1 }).execute(),
        ),
      );
      await withAuditScope(entry('rolled-back'), async () => {
        await expect(
          runInTransaction(store, async (tx) => {
            await tx.insertInto('user_groups').values({ name: 'g2', description: null, creation_time: 1 }).execute();
            throw new Error('the mutation fails');
          }),
        ).rejects.toThrow('the mutation fails');
      });
      const rows = await searchAudit(store.db, { limit: 10 });
      expect(rows.map((r) => r.request_id)).toEqual(['committed']);
      const groups = await store.db.selectFrom('user_groups').select('name').execute();
      expect(groups.map((g) => g.name)).toEqual(['g1']);
    } finally {
      await store.close();
    }
  });

  it('refuses UPDATE and DELETE: the log is append-only', async () => {
    const store = await openTestStore();
    try {
      await withAuditScope(entry('kept'), () =>
        runInTransaction(store, (tx) =>
          tx.insertInto('user_groups').values({ name: 'g', description: null, creation_time: 1 }).execute(),
        ),
      );
      await expect(store.db.updateTable('audit_log').set({ actor: 'mallory' }).execute()).rejects.toThrow(
        /append-only/,
      );
      await expect(store.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
      expect((await searchAudit(store.db, { limit: 10 }))[0].actor).toBe('alice');
    } finally {
      await store.close();
    }
  });
});
