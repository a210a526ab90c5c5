import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_CACHE_TTL_MS } from '../../packages/server/src/services/workspace.service.ts';
import { adminQuery } from '../support/postgres.ts';
import type { ServerProcess } from '../support/process-server.ts';
import { call, freshDatabase, skipNotice, startReplicas, stopReplicas, unavailable } from './topology.ts';

/**
 * The one cache of database rows a replica keeps is the workspace lookup (docs/deployment.md,
 * *What a replica may see stale*). A workspace renamed or deleted behind a replica's back (Trove
 * has no API for either yet: an operator does it in SQL) must stop being served by that replica
 * within `WORKSPACE_CACHE_TTL_MS`, not whenever it restarts.
 */
const reason = await unavailable();
if (reason) skipNotice('test/replicas/workspace-cache.test.ts', reason);

const SEARCH = '/api/2.0/mlflow/experiments/search?max_results=10';

describe.skipIf(reason !== undefined)('workspace lookups cached by a replica go stale for a bounded time only', () => {
  let dir: string;
  let db: { uri: string; drop(): Promise<void> };
  let replicas: ServerProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trove-ws-cache-'));
    db = await freshDatabase('wscache');
    replicas = await startReplicas(2, db.uri, join(dir, 'artifacts'));
  });
  afterAll(async () => {
    await stopReplicas(replicas);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Polls until `done` holds; answers the milliseconds it took, or fails past the bound plus slack for a loaded machine. */
  async function within(boundMs: number, done: () => Promise<boolean>): Promise<number> {
    const started = Date.now();
    for (;;) {
      if (await done()) return Date.now() - started;
      if (Date.now() - started > boundMs + 3000)
        throw new Error(`still stale after ${Date.now() - started} ms (bound ${boundMs} ms)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('a rename and a deletion made elsewhere reach the other replica within the TTL', async () => {
    const [a, b] = replicas.map((r) => r.url);
    for (const name of ['team-a', 'doomed'])
      expect((await call(a, 'POST', '/api/trove/v1/workspaces', { name })).status).toBe(200);
    expect((await call(a, 'POST', '/w/team-a/api/2.0/mlflow/experiments/create', { name: 'churn' })).status).toBe(200);
    // Replica b looks both up (and caches them).
    expect(
      (await call(b, 'GET', `/w/team-a${SEARCH}`)).body.experiments.map((e: { name: string }) => e.name).sort(),
    ).toEqual(['Default', 'churn']);
    expect((await call(b, 'GET', `/w/doomed${SEARCH}`)).status).toBe(200);

    await adminQuery(
      [
        "UPDATE workspaces SET name = 'team-b' WHERE name = 'team-a'",
        "UPDATE workspaces SET default_experiment_id = NULL WHERE name = 'doomed'",
        "DELETE FROM experiments WHERE workspace_id = (SELECT id FROM workspaces WHERE name = 'doomed')",
        "DELETE FROM workspaces WHERE name = 'doomed'",
      ],
      db.uri,
    );
    // Unknown names are never cached: the new name works on b at once.
    expect(
      (await call(b, 'GET', `/w/team-b${SEARCH}`)).body.experiments.map((e: { name: string }) => e.name).sort(),
    ).toEqual(['Default', 'churn']);

    const renamed = await within(
      WORKSPACE_CACHE_TTL_MS,
      async () => (await call(b, 'GET', `/w/team-a${SEARCH}`)).status === 404,
    );
    const deleted = await within(
      WORKSPACE_CACHE_TTL_MS,
      async () => (await call(b, 'GET', `/w/doomed${SEARCH}`)).status === 404,
    );
    console.log(
      `[workspace-cache] replica b stopped serving the old name after ${renamed} ms, the deleted workspace after ${deleted} ms (TTL ${WORKSPACE_CACHE_TTL_MS} ms)`,
    );
    const gone = await call(b, 'POST', '/w/team-a/api/2.0/mlflow/experiments/create', { name: 'late' });
    expect([gone.status, gone.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    expect((await call(a, 'GET', `/w/doomed${SEARCH}`)).status).toBe(404);
  }, 60_000);
});
