import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';

// GET /api/trove/v1/experiments/{id}/keys: the experiment's key registry, filled by every path
// that writes run params, metrics or tags.
let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  t = trove(server);
});
afterAll(() => server.close());

const keysOf = (experimentId: string, client = t) => client.ok('GET', `/experiments/${experimentId}/keys`);
const point = (key: string, step: number) => ({ key, value: step, timestamp: 1, step });

describe('experiment keys', () => {
  it('lists every key any run logged, through each write path, sorted, whichever run holds it', async () => {
    const exp = await api.createExperiment('keys-paths');
    expect(await keysOf(exp)).toEqual({ params: [], metrics: [], tags: [] });
    const run = await api.createRun(exp, { run_name: 'first', tags: [{ key: 'created.with', value: 'x' }] });
    await api.ok('POST', '/runs/log-batch', {
      run_id: run,
      params: [{ key: 'lr', value: '0.1' }],
      metrics: [point('loss', 1)],
      tags: [{ key: 'team', value: 'a' }],
    });
    await api.ok('POST', '/runs/log-batch', { run_id: run, metrics: [point('loss', 2), point('acc', 2)] });
    await api.ok('POST', '/runs/log-metric', { run_id: run, ...point('val/loss', 3) });
    await api.ok('POST', '/runs/log-parameter', { run_id: run, key: 'batch', value: '32' });
    await api.ok('POST', '/runs/set-tag', { run_id: run, key: 'owner', value: 'kim' });
    await api.ok('POST', '/runs/update', { run_id: run, run_name: 'renamed' });
    const model = { artifact_path: 'm', flavors: {}, utc_time_created: '2025-01-01', run_id: run };
    await api.ok('POST', '/runs/log-model', { run_id: run, model_json: JSON.stringify(model) });
    const later = await api.createRun(exp);
    await t.ok('POST', `/runs/${later}/log`, {
      params: { optimizer: { adam: { beta1: 0.9 } } },
      metrics: { grad: { norm: 1.5 } },
      tags: { stage: 'dev' },
    });

    expect(await keysOf(exp)).toEqual({
      params: ['batch', 'lr', 'optimizer/adam/beta1'],
      metrics: ['acc', 'grad/norm', 'loss', 'val/loss'],
      tags: ['created.with', 'mlflow.log-model.history', 'mlflow.runName', 'owner', 'stage', 'team'],
    });
  });

  it('bulk tag set registers in every experiment it reaches; rename adds the new key and keeps the old one, as delete does', async () => {
    const a = await api.createExperiment('keys-bulk-a');
    const b = await api.createExperiment('keys-bulk-b');
    const runA = await api.createRun(a);
    const runB = await api.createRun(b);
    await t.ok('POST', '/run-tags/set', { run_ids: [runA, runB], key: 'squad', value: 's1' });
    expect((await keysOf(a)).tags).toEqual(['mlflow.runName', 'squad']);
    expect((await keysOf(b)).tags).toEqual(['mlflow.runName', 'squad']);

    await t.ok('POST', '/run-tags/rename', { experiment_id: a, key: 'squad', new_key: 'team' });
    await api.ok('POST', '/runs/set-tag', { run_id: runA, key: 'gone', value: '1' });
    await t.ok('POST', '/run-tags/delete', { experiment_id: a, key: 'gone' });
    // No run of `a` holds `squad` or `gone` any more: they stay listed, matching nothing.
    expect((await keysOf(a)).tags).toEqual(['gone', 'mlflow.runName', 'squad', 'team']);
    expect((await keysOf(b)).tags).toEqual(['mlflow.runName', 'squad']);
  });

  it('answers per workspace under every prefix; another workspace’s experiment does not exist there', async () => {
    await t.ok('POST', '/workspaces', { name: 'keys-elsewhere' });
    const other = mlflow(server, 'keys-elsewhere');
    const far = await other.createExperiment('far');
    await other.ok('POST', '/runs/log-batch', {
      run_id: await other.createRun(far),
      params: [{ key: 'far-only', value: '1' }],
    });
    const there = trove(server, 'keys-elsewhere');
    expect((await keysOf(far, there)).params).toEqual(['far-only']);

    const here = await t.call('GET', `/experiments/${far}/keys`);
    expect(here.status).toBe(404);
    expect(here.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const wsDefault = await trove(server, 'default').call('GET', `/experiments/${far}/keys`);
    expect(wsDefault.status).toBe(404);

    // MLflow's "0" is each workspace's own Default experiment.
    await other.ok('POST', '/runs/log-batch', {
      run_id: await other.createRun('0'),
      metrics: [point('in-default', 1)],
    });
    expect((await keysOf('0', there)).metrics).toEqual(['in-default']);
    expect((await keysOf('0')).metrics).not.toContain('in-default');
  });

  it('refuses malformed ids and answers 404 for unknown ones, with MLflow error codes', async () => {
    for (const bad of ['abc', '-1', '1.5', '9'.repeat(19)]) {
      const res = await t.call('GET', `/experiments/${bad}/keys`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error_code, bad).toBe('INVALID_PARAMETER_VALUE');
    }
    const unknown = await t.call('GET', '/experiments/987654321/keys');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('still answers for a deleted experiment, which the runs page can show', async () => {
    const exp = await api.createExperiment('keys-deleted');
    await api.ok('POST', '/runs/log-batch', {
      run_id: await api.createRun(exp),
      params: [{ key: 'kept', value: '1' }],
    });
    await api.ok('POST', '/experiments/delete', { experiment_id: exp });
    expect((await keysOf(exp)).params).toEqual(['kept']);
  });
});
