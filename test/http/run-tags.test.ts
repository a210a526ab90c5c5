import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  t = trove(server);
});
afterAll(() => server.close());

/** An experiment with `n` runs, each tagged by `tags(i)`. */
async function experimentWithRuns(
  name: string,
  n: number,
  tags: (i: number) => Record<string, string>,
): Promise<{ experimentId: string; runIds: string[] }> {
  const experimentId = await api.createExperiment(name);
  const runIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const runId = await api.createRun(experimentId, { run_name: `${name}-${i}` });
    const t = Object.entries(tags(i)).map(([key, value]) => ({ key, value }));
    if (t.length > 0) await api.ok('POST', '/runs/log-batch', { run_id: runId, tags: t });
    runIds.push(runId);
  }
  return { experimentId, runIds };
}

async function tagsOf(runId: string): Promise<Record<string, string>> {
  const run = (await api.ok('GET', `/runs/get?run_id=${runId}`)).run;
  return Object.fromEntries(
    (run.data.tags ?? [])
      .filter((x: { key: string }) => !x.key.startsWith('mlflow.'))
      .map((x: { key: string; value: string }) => [x.key, x.value]),
  );
}

describe('tag keys', () => {
  it('lists keys of an experiment and of the workspace with run counts; system tags only on request', async () => {
    const a = await experimentWithRuns('keys-a', 3, (i) => ({
      team: i === 0 ? 'vision' : 'nlp',
      ...(i < 2 ? { stage: 'dev' } : {}),
    }));
    await experimentWithRuns('keys-b', 2, () => ({ team: 'vision', owner: 'kim' }));
    await api.ok('POST', '/runs/delete', { run_id: a.runIds[2] });

    const exp = (await t.ok('GET', `/run-tags?experiment_id=${a.experimentId}`)).keys;
    expect(exp).toEqual([
      { key: 'stage', run_count: 2, value_count: 1 },
      { key: 'team', run_count: 2, value_count: 2 },
    ]);
    const withSystem = (await t.ok('GET', `/run-tags?experiment_id=${a.experimentId}&include_system=true`)).keys;
    expect(withSystem.find((k: { key: string }) => k.key === 'mlflow.runName')).toMatchObject({
      run_count: 2,
      system: true,
    });

    const ws = (await t.ok('GET', '/run-tags')).keys;
    expect(ws.find((k: { key: string }) => k.key === 'team')).toMatchObject({ run_count: 4 });
    expect(ws.find((k: { key: string }) => k.key === 'owner')).toMatchObject({ run_count: 2, value_count: 1 });
  });

  it('keeps workspaces apart', async () => {
    await t.ok('POST', '/workspaces', { name: 'tags-elsewhere' });
    const other = mlflow(server, 'tags-elsewhere');
    const exp = await other.createExperiment('far');
    const run = await other.createRun(exp);
    await other.ok('POST', '/runs/set-tag', { run_id: run, key: 'far-only', value: '1' });
    expect((await t.ok('GET', '/run-tags')).keys.map((k: { key: string }) => k.key)).not.toContain('far-only');
    expect(
      (await trove(server, 'tags-elsewhere').ok('GET', '/run-tags')).keys.map((k: { key: string }) => k.key),
    ).toEqual(['far-only']);
    // A run of another workspace is unknown here.
    const res = await t.call('POST', '/run-tags/set', { run_ids: [run], key: 'x', value: '1' });
    expect(res.status).toBe(404);
    // An experiment of another workspace too.
    expect((await t.call('GET', `/run-tags?experiment_id=${exp}`)).status).toBe(404);
  });
});

describe('rename', () => {
  it('renames a key on every run of the experiment, deleted runs included, and merges equal values', async () => {
    const e = await experimentWithRuns('rename-ok', 3, (i) => ({
      squad: `s${i % 2}`,
      ...(i === 1 ? { team: 's1' } : {}),
    }));
    const untouched = await experimentWithRuns('rename-other', 1, () => ({ squad: 'keep' }));
    await api.ok('POST', '/runs/delete', { run_id: e.runIds[2] });
    const res = await t.ok('POST', '/run-tags/rename', {
      experiment_id: e.experimentId,
      key: 'squad',
      new_key: 'team',
    });
    expect(res).toEqual({ runs_updated: 3 });
    expect(await tagsOf(e.runIds[0])).toEqual({ team: 's0' });
    expect(await tagsOf(e.runIds[1])).toEqual({ team: 's1' });
    expect(await tagsOf(e.runIds[2])).toEqual({ team: 's0' });
    expect(await tagsOf(untouched.runIds[0])).toEqual({ squad: 'keep' });
    // Search sees the new key at once.
    const found = await api.ok('POST', '/runs/search', {
      experiment_ids: [e.experimentId],
      filter: "tags.team = 's0'",
    });
    expect(found.runs).toHaveLength(1);
  });

  it('refuses a rename onto a key some run holds with another value, changing nothing', async () => {
    const e = await experimentWithRuns('rename-clash', 3, (i) => ({ squad: 'a', ...(i === 2 ? { team: 'b' } : {}) }));
    const res = await t.call('POST', '/run-tags/rename', {
      experiment_id: e.experimentId,
      key: 'squad',
      new_key: 'team',
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(res.body.message).toContain(e.runIds[2]);
    expect(res.body.message).toContain('Nothing was changed');
    expect(await tagsOf(e.runIds[0])).toEqual({ squad: 'a' });
    expect(await tagsOf(e.runIds[2])).toEqual({ squad: 'a', team: 'b' });
  });

  it('answers 4xx for bad input', async () => {
    const e = await experimentWithRuns('rename-bad', 1, () => ({ squad: 'a' }));
    const cases: [unknown, number, string][] = [
      [{ experiment_id: e.experimentId, key: 'squad' }, 400, 'new_key'],
      [{ experiment_id: e.experimentId, key: 'squad', new_key: 'squad' }, 400, 'same'],
      [{ experiment_id: e.experimentId, key: 'squad', new_key: 'a//b' }, 400, 'normalized'],
      [{ experiment_id: e.experimentId, key: 'mlflow.runName', new_key: 'name' }, 400, 'system tag'],
      [{ experiment_id: e.experimentId, key: 'squad', new_key: 'mlflow.user' }, 400, 'system tag'],
      [{ experiment_id: e.experimentId, key: 'nobody-has-this', new_key: 'x' }, 404, 'nobody-has-this'],
      [{ experiment_id: '987654', key: 'squad', new_key: 'x' }, 404, '987654'],
      [{ experiment_id: 'abc', key: 'squad', new_key: 'x' }, 400, 'integers'],
      [{ experiment_id: e.experimentId, key: 5, new_key: 'x' }, 400, 'key'],
    ];
    for (const [body, status, text] of cases) {
      const res = await t.call('POST', '/run-tags/rename', body);
      expect([res.status, res.body.message], JSON.stringify(body)).toEqual([status, expect.stringContaining(text)]);
      expect(res.body.error_code).toBeTypeOf('string');
    }
    expect((await t.call('POST', '/run-tags/rename', '[1]')).status).toBe(400);
    await api.ok('POST', '/experiments/delete', { experiment_id: e.experimentId });
    const deleted = await t.call('POST', '/run-tags/rename', {
      experiment_id: e.experimentId,
      key: 'squad',
      new_key: 'x',
    });
    expect(deleted.status).toBe(400);
  });
});

describe('delete', () => {
  it('deletes a key across the experiment and 404s when no run has it', async () => {
    const e = await experimentWithRuns('delete-key', 2, () => ({ tmp: '1', keep: '2' }));
    expect(await t.ok('POST', '/run-tags/delete', { experiment_id: e.experimentId, key: 'tmp' })).toEqual({
      runs_updated: 2,
    });
    expect(await tagsOf(e.runIds[1])).toEqual({ keep: '2' });
    const again = await t.call('POST', '/run-tags/delete', { experiment_id: e.experimentId, key: 'tmp' });
    expect([again.status, again.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    expect(
      (await t.call('POST', '/run-tags/delete', { experiment_id: e.experimentId, key: 'mlflow.runName' })).status,
    ).toBe(400);
    expect((await t.call('POST', '/run-tags/delete', { experiment_id: e.experimentId })).status).toBe(400);
  });
});

describe('set on many runs', () => {
  it('sets key=value on every named run, overwriting old values', async () => {
    const e = await experimentWithRuns(
      'set-many',
      3,
      (i): Record<string, string> => (i === 0 ? { review: 'old' } : {}),
    );
    const res = await t.ok('POST', '/run-tags/set', {
      run_ids: [e.runIds[0], e.runIds[1], e.runIds[1]],
      key: 'review',
      value: 'done',
    });
    expect(res).toEqual({ runs_updated: 2 });
    expect(await tagsOf(e.runIds[0])).toEqual({ review: 'done' });
    expect(await tagsOf(e.runIds[1])).toEqual({ review: 'done' });
    expect(await tagsOf(e.runIds[2])).toEqual({});
  });

  it('writes nothing when one run is unknown or deleted, and rejects bad input', async () => {
    const e = await experimentWithRuns('set-none', 2, () => ({}));
    const unknown = await t.call('POST', '/run-tags/set', {
      run_ids: [e.runIds[0], 'feedfacefeedfacefeedfacefeedface'],
      key: 'k',
      value: 'v',
    });
    expect([unknown.status, unknown.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    expect(unknown.body.message).toContain('feedfacefeedfacefeedfacefeedface');
    expect(await tagsOf(e.runIds[0])).toEqual({});

    await api.ok('POST', '/runs/delete', { run_id: e.runIds[1] });
    const deleted = await t.call('POST', '/run-tags/set', { run_ids: e.runIds, key: 'k', value: 'v' });
    expect(deleted.status).toBe(400);
    expect(await tagsOf(e.runIds[0])).toEqual({});

    const bad: unknown[] = [
      { key: 'k', value: 'v' },
      { run_ids: [], key: 'k', value: 'v' },
      { run_ids: [e.runIds[0]], value: 'v' },
      { run_ids: [e.runIds[0]], key: 'mlflow.note.content', value: 'v' },
      { run_ids: [e.runIds[0]], key: 'k', value: 'x'.repeat(1_048_577) },
      { run_ids: 'not-a-list', key: 'k' },
      { run_ids: Array.from({ length: 1001 }, (_, i) => `r${i}`), key: 'k' },
    ];
    for (const body of bad) {
      const res = await t.call('POST', '/run-tags/set', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
  });
});

describe('tag colours', () => {
  it('stores a colour per key and workspace, lists it with the keys, and deletes it', async () => {
    await experimentWithRuns('colours', 1, () => ({ colourful: 'yes' }));
    expect((await t.ok('PUT', '/tag-colors', { key: 'colourful', color: '#FF8800' })).tag_color).toEqual({
      key: 'colourful',
      color: '#ff8800',
    });
    await t.ok('PUT', '/tag-colors', { key: 'colourful', color: '#00aa55' });
    expect((await t.ok('GET', '/tag-colors')).tag_colors).toContainEqual({ key: 'colourful', color: '#00aa55' });
    expect((await t.ok('GET', '/run-tags')).keys.find((k: { key: string }) => k.key === 'colourful').color).toBe(
      '#00aa55',
    );
    expect((await trove(server, 'tags-elsewhere').ok('GET', '/tag-colors')).tag_colors).toEqual([]);

    for (const body of [
      { key: 'colourful', color: 'red' },
      { key: 'colourful' },
      { key: '', color: '#000000' },
      { key: '../x', color: '#000000' },
    ]) {
      expect((await t.call('PUT', '/tag-colors', body)).status, JSON.stringify(body)).toBe(400);
    }
    await t.ok('DELETE', '/tag-colors?key=colourful');
    expect((await t.ok('GET', '/tag-colors')).tag_colors).toEqual([]);
    expect((await t.call('DELETE', '/tag-colors?key=colourful')).status).toBe(404);
    expect((await t.call('DELETE', '/tag-colors')).status).toBe(400);
  });
});

describe('bulk delete and restore', () => {
  it('deletes and restores many runs at once, all or nothing', async () => {
    const e = await experimentWithRuns('bulk-life', 3, () => ({}));
    const stage = async (id: string) => (await api.ok('GET', `/runs/get?run_id=${id}`)).run.info.lifecycle_stage;
    const unknown = await t.call('POST', '/runs/delete', { run_ids: [e.runIds[0], 'nope'] });
    expect(unknown.status).toBe(404);
    expect(await stage(e.runIds[0])).toBe('active');

    expect(await t.ok('POST', '/runs/delete', { run_ids: e.runIds.slice(0, 2) })).toEqual({ runs_updated: 2 });
    expect([await stage(e.runIds[0]), await stage(e.runIds[1]), await stage(e.runIds[2])]).toEqual([
      'deleted',
      'deleted',
      'active',
    ]);
    const active = await api.ok('POST', '/runs/search', { experiment_ids: [e.experimentId] });
    expect(active.runs).toHaveLength(1);

    expect(await t.ok('POST', '/runs/restore', { run_ids: e.runIds })).toEqual({ runs_updated: 2 });
    expect(await stage(e.runIds[1])).toBe('active');
    expect((await t.call('POST', '/runs/restore', {})).status).toBe(400);
    expect((await t.call('POST', '/runs/delete', { run_ids: [1, 2] })).status).toBe(400);
  });
});
