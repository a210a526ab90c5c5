import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, as, basic, createUser, startAuthServer } from '../support/auth-server.ts';
import { type LineageGraphIds, seedLineageGraph } from '../support/lineage-seed.ts';
import type { TestServer } from '../support/server.ts';

// The lineage walk with auth on: only through what the caller may read.
let server: TestServer;
let g: LineageGraphIds;
const viewer = { username: 'viewer', password: 'viewer-pass-1' };
const outsider = { username: 'outsider', password: 'outsider-pass-1' };

beforeAll(async () => {
  server = await startAuthServer({
    env: { TROVE_AUTH_DEFAULT_ROLE: 'none', TROVE_AUTH_DEFAULT_PERMISSION: 'NO_PERMISSIONS' },
  });
  const admin = as(server, basic(ADMIN));
  for (const name of ['wa', 'wb']) await admin.ok('POST', '/api/trove/v1/workspaces', { name });
  await createUser(server, viewer, { wa: 'viewer' });
  await createUser(server, outsider, { wb: 'editor' });
  g = await seedLineageGraph(server.call, 'wa', basic(ADMIN));
});
afterAll(() => server?.close());

const walk = (who: Record<string, string>, node: string) =>
  server.call(
    'GET',
    `/w/wa/api/trove/v1/lineage?node=${encodeURIComponent(node)}&direction=both&depth=10`,
    undefined,
    who,
  );
const ids = (body: { nodes: { id: string }[] }) => body.nodes.map((n) => n.id);

describe('lineage access', () => {
  it('a reader of the workspace walks it; anonymous is refused; an outsider finds nothing', async () => {
    const res = await walk(basic(viewer), g.train);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toContain(`run:${g.consumer}`);
    expect((await walk({}, g.train)).status).toBe(401);
    const out = await walk(basic(outsider), g.train);
    expect(out.status).toBe(404);
    expect(out.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('leaves out what the caller may not read, and does not walk through it', async () => {
    const admin = as(server, basic(ADMIN));
    await admin.ok('POST', '/w/wa/api/2.0/mlflow/experiments/permissions/create', {
      experiment_id: g.consumerExperimentId,
      username: viewer.username,
      permission: 'NO_PERMISSIONS',
    });
    await admin.ok('POST', '/w/wa/api/2.0/mlflow/registered-models/permissions/create', {
      name: g.model,
      username: viewer.username,
      permission: 'NO_PERMISSIONS',
    });
    const res = await walk(basic(viewer), g.train);
    expect(res.status).toBe(200);
    const found = ids(res.body);
    expect(found).toContain(`logged_model:${g.loggedModel}`);
    for (const hidden of [`run:${g.consumer}`, 'model_version:churn/1', `deployment:${g.deploymentId}`])
      expect(found).not.toContain(hidden);
    expect((await walk(basic(viewer), `run:${g.consumer}`)).status).toBe(404);
    expect((await walk(basic(viewer), 'model_version:churn/1')).status).toBe(404);
  });
});
