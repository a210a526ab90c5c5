import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';

// Alert rules per experiment: each kind fires once per rule and run, through recordEvent (so a
// webhook delivery is queued with it); time-based rules through the scheduler on a test clock.
let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;
// The scheduler's clock: moved, never waited for.
let clock = Date.now();

beforeAll(async () => {
  server = await startServer({
    webhooks: { allowedSchemes: ['https', 'http'], allowPrivateIps: true, dispatcher: false },
    alerts: { intervalMs: 50, now: () => clock },
  });
  api = mlflow(server);
  t = trove(server);
});
afterAll(() => server.close());

let n = 0;
async function experiment(): Promise<string> {
  return (await api.ok('POST', '/experiments/create', { name: `alerts-${++n}` })).experiment_id;
}
async function run(experimentId: string): Promise<string> {
  return (await api.ok('POST', '/runs/create', { experiment_id: experimentId, start_time: Date.now() })).run.info
    .run_id;
}
async function rule(experimentId: string, body: Record<string, unknown>) {
  return (await t.ok('POST', `/experiments/${experimentId}/alert-rules`, { name: `r${++n}`, ...body })).rule;
}
const alertsOf = async (runId: string) => (await t.ok('GET', `/runs/${runId}/alerts`)).alerts as any[];
const points = (key: string, values: (number | string)[], firstStep = 0) =>
  values.map((value, i) => ({ key, value, timestamp: Date.now(), step: firstStep + i }));
const logBatch = (runId: string, metrics: unknown[]) => api.ok('POST', '/runs/log-batch', { run_id: runId, metrics });

describe('alert rules API', () => {
  it('creates, lists, edits (bumping the revision) and deletes rules', async () => {
    const exp = await experiment();
    const created = await rule(exp, { kind: 'threshold', metric_key: 'loss', op: '>', value: 5 });
    expect(created).toMatchObject({
      experiment_id: exp,
      kind: 'threshold',
      metric_key: 'loss',
      op: '>',
      value: 5,
      enabled: true,
      revision: 1,
    });
    expect(created).not.toHaveProperty('steps');
    const listed = (await t.ok('GET', `/experiments/${exp}/alert-rules`)).rules;
    expect(listed).toEqual([created]);
    const edited = (
      await t.ok('PATCH', `/experiments/${exp}/alert-rules/${created.rule_id}`, { value: 7, enabled: false })
    ).rule;
    expect(edited).toMatchObject({ value: 7, enabled: false, revision: 2, op: '>', name: created.name });
    const changedKind = (
      await t.ok('PATCH', `/experiments/${exp}/alert-rules/${created.rule_id}`, {
        kind: 'no_improvement',
        mode: 'min',
        steps: 3,
      })
    ).rule;
    expect(changedKind).toMatchObject({ kind: 'no_improvement', metric_key: 'loss', mode: 'min', steps: 3 });
    expect(changedKind).not.toHaveProperty('op');
    expect(await t.ok('DELETE', `/experiments/${exp}/alert-rules/${created.rule_id}`)).toEqual({});
    expect((await t.ok('GET', `/experiments/${exp}/alert-rules`)).rules).toEqual([]);
    const gone = await t.call('DELETE', `/experiments/${exp}/alert-rules/${created.rule_id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('refuses bad rules with a 400 that names the field', async () => {
    const exp = await experiment();
    const refused = async (body: Record<string, unknown>, message: RegExp) => {
      const res = await t.call('POST', `/experiments/${exp}/alert-rules`, { name: 'bad', ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(res.body.message).toMatch(message);
    };
    await refused({ kind: 'sometimes' }, /kind 'sometimes'/);
    await refused({ kind: 'threshold', op: '>', value: 1 }, /metric_key/);
    await refused({ kind: 'threshold', metric_key: 'loss', value: 1 }, /'op'/);
    await refused({ kind: 'threshold', metric_key: 'loss', op: '==', value: 1 }, /'op'/);
    await refused({ kind: 'threshold', metric_key: 'loss', op: '>' }, /'value'/);
    await refused({ kind: 'threshold', metric_key: 'loss', op: '>', value: 'NaN' }, /finite/);
    await refused({ kind: 'no_improvement', metric_key: 'loss', mode: 'min', steps: 0 }, /'steps'/);
    await refused({ kind: 'no_improvement', metric_key: 'loss', mode: 'lowest', steps: 2 }, /'mode'/);
    await refused({ kind: 'no_improvement', metric_key: 'lo*', mode: 'min', steps: 2 }, /cannot end with/);
    await refused({ kind: 'stalled', minutes: -1 }, /'minutes'/);
    await refused({ kind: 'stalled' }, /'minutes'/);
    const missingName = await t.call('POST', `/experiments/${exp}/alert-rules`, { kind: 'run_failed' });
    expect(missingName.status).toBe(400);
    await rule(exp, { name: 'dup', kind: 'run_failed' });
    const dup = await t.call('POST', `/experiments/${exp}/alert-rules`, { name: 'dup', kind: 'run_failed' });
    expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    expect((await t.call('GET', '/experiments/999999/alert-rules')).status).toBe(404);
    expect((await t.call('PATCH', `/experiments/${exp}/alert-rules/nope`, { value: 1 })).status).toBe(400);
  });
});

describe('alerts on the write path', () => {
  it('threshold fires once per rule and run, however often the condition is met again', async () => {
    const exp = await experiment();
    const r = await rule(exp, { kind: 'threshold', metric_key: 'loss', op: '>', value: 5 });
    const id = await run(exp);
    await logBatch(id, points('loss', [1, 2, 3]));
    expect(await alertsOf(id)).toEqual([]);
    await logBatch(id, points('loss', [4, 9, 12], 3));
    await api.ok('POST', '/runs/log-metric', { run_id: id, key: 'loss', value: 50, timestamp: Date.now(), step: 6 });
    await logBatch(id, points('loss', [99], 7));
    const fired = await alertsOf(id);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({
      rule_id: r.rule_id,
      rule_name: r.name,
      kind: 'threshold',
      experiment_id: exp,
      run_id: id,
      metric_key: 'loss',
      value: 9,
      step: 4,
    });
    expect(fired[0].condition).toContain('loss > 5');
    // Another run of the experiment is judged on its own.
    const other = await run(exp);
    await logBatch(other, points('loss', [0.5]));
    expect(await alertsOf(other)).toEqual([]);
  });

  it('an edited rule may fire again on the same run (its revision is part of the key)', async () => {
    const exp = await experiment();
    const r = await rule(exp, { kind: 'threshold', metric_key: 'acc', op: '<', value: 0.5 });
    const id = await run(exp);
    await logBatch(id, points('acc', [0.4]));
    await t.ok('PATCH', `/experiments/${exp}/alert-rules/${r.rule_id}`, { value: 0.3 });
    await logBatch(id, points('acc', [0.35], 1));
    expect(await alertsOf(id)).toHaveLength(1);
    await logBatch(id, points('acc', [0.2], 2));
    expect((await alertsOf(id)).map((a) => a.step)).toEqual([2, 0]);
  });

  it('a disabled rule does not fire', async () => {
    const exp = await experiment();
    await rule(exp, { kind: 'threshold', metric_key: 'loss', op: '>', value: 1, enabled: false });
    const id = await run(exp);
    await logBatch(id, points('loss', [5]));
    expect(await alertsOf(id)).toEqual([]);
  });

  it('nan_inf fires on NaN and Infinity as MLflow clients send them', async () => {
    const exp = await experiment();
    await rule(exp, { kind: 'nan_inf', metric_key: 'loss' });
    const nanRun = await run(exp);
    await logBatch(nanRun, points('loss', [1, 2]));
    await logBatch(nanRun, points('other', ['NaN']));
    expect(await alertsOf(nanRun)).toEqual([]);
    // Python's json writes the bare token NaN.
    const raw = `{"run_id": "${nanRun}", "metrics": [{"key": "loss", "value": NaN, "timestamp": ${Date.now()}, "step": 2}]}`;
    const res = await server.call('POST', `${api.base}/runs/log-batch`, raw);
    expect(res.status).toBe(200);
    await logBatch(nanRun, points('loss', ['NaN', 'Infinity'], 3));
    const fired = await alertsOf(nanRun);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ value: 'NaN', step: 2, condition: 'loss is NaN' });

    const infRun = await run(exp);
    await logBatch(infRun, points('loss', [3, '-Infinity']));
    expect(await alertsOf(infRun)).toMatchObject([{ value: '-Infinity', step: 1, condition: 'loss is -Infinity' }]);
  });

  it('a prefix rule watches every key that starts with it', async () => {
    const exp = await experiment();
    await rule(exp, { kind: 'threshold', metric_key: 'val/*', op: '>=', value: 10 });
    const id = await run(exp);
    await logBatch(id, [...points('train/loss', [20]), ...points('val/loss', [3])]);
    expect(await alertsOf(id)).toEqual([]);
    await logBatch(id, points('val/acc', [10], 1));
    expect(await alertsOf(id)).toMatchObject([{ metric_key: 'val/acc', value: 10 }]);
  });

  it('no_improvement judges across batches from the best value and its step', async () => {
    const exp = await experiment();
    await rule(exp, { kind: 'no_improvement', metric_key: 'val_loss', mode: 'min', steps: 3 });
    const id = await run(exp);
    await logBatch(id, points('val_loss', [1.0, 0.8], 0));
    await logBatch(id, points('val_loss', [0.5], 2)); // best at step 2
    await logBatch(id, points('val_loss', [0.6, 0.7], 3)); // 2 steps behind
    expect(await alertsOf(id)).toEqual([]);
    await logBatch(id, points('val_loss', [0.45], 5)); // a new best at step 5
    await logBatch(id, points('val_loss', [0.5, 0.5], 6)); // 2 behind
    expect(await alertsOf(id)).toEqual([]);
    await logBatch(id, points('val_loss', [0.46], 8)); // 3 behind: fires
    await logBatch(id, points('val_loss', [0.9, 0.9], 9));
    const fired = await alertsOf(id);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ kind: 'no_improvement', metric_key: 'val_loss', value: 0.45, step: 8 });
    expect(fired[0].condition).toContain('best 0.45 at step 5');

    const maxExp = await experiment();
    await rule(maxExp, { kind: 'no_improvement', metric_key: 'acc', mode: 'max', steps: 2 });
    const climbing = await run(maxExp);
    await logBatch(climbing, points('acc', [0.1, 0.2, 0.3, 0.4, 0.5]));
    expect(await alertsOf(climbing)).toEqual([]);
  });

  it('run_failed fires when update-run moves the run to FAILED, once', async () => {
    const exp = await experiment();
    await rule(exp, { kind: 'run_failed' });
    const finished = await run(exp);
    await api.ok('POST', '/runs/update', { run_id: finished, status: 'FINISHED', end_time: Date.now() });
    expect(await alertsOf(finished)).toEqual([]);
    const failed = await run(exp);
    await api.ok('POST', '/runs/update', { run_id: failed, status: 'FAILED', end_time: Date.now() });
    await api.ok('POST', '/runs/update', { run_id: failed, status: 'FAILED', end_time: Date.now() });
    expect(await alertsOf(failed)).toMatchObject([{ kind: 'run_failed', condition: 'run status became FAILED' }]);
  });

  it('queues one webhook delivery per alert (alert.fired) and lists the experiment alerts in pages', async () => {
    const exp = await experiment();
    const hook = (
      await api.ok('POST', '/webhooks', {
        name: 'alerts',
        url: 'http://127.0.0.1:9/hook',
        events: [{ entity: 'ALERT', action: 'FIRED' }],
      })
    ).webhook;
    const r = await rule(exp, { kind: 'threshold', metric_key: 'loss', op: '>', value: 1 });
    const runs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await run(exp);
      runs.push(id);
      await logBatch(id, points('loss', [2, 3]));
      await logBatch(id, points('loss', [4], 2));
    }
    const deliveries = (await t.ok('GET', `/webhooks/${hook.webhook_id}/deliveries`)).deliveries as any[];
    expect(deliveries).toHaveLength(3);
    const first = (await t.ok('GET', `/experiments/${exp}/alerts?max_results=2`)) as any;
    expect(first.alerts.map((a: any) => a.run_id)).toEqual([runs[2], runs[1]]);
    const second = await t.ok('GET', `/experiments/${exp}/alerts?max_results=2&page_token=${first.next_page_token}`);
    expect(second.alerts.map((a: any) => a.run_id)).toEqual([runs[0]]);
    expect(second.next_page_token).toBeUndefined();
    const event = await server.store.db
      .selectFrom('registry_events')
      .selectAll()
      .where('entity', '=', 'alert')
      .where('run_id', '=', runs[0])
      .execute();
    expect(event).toHaveLength(1);
    expect(event[0].action).toBe('fired');
    expect(JSON.parse(event[0].payload)).toMatchObject({
      rule_id: r.rule_id,
      rule_name: r.name,
      experiment_id: exp,
      run_id: runs[0],
      metric_key: 'loss',
      value: 2,
      step: 0,
    });
  });
});

describe('time-based rules (the scheduler)', () => {
  it('stalled fires once for a RUNNING run with no metric for N minutes, on the moved clock', async () => {
    const exp = await experiment();
    await rule(exp, { kind: 'stalled', minutes: 5 });
    // Created first, so a tick that judged the stalled run has judged this one too.
    const lively = await run(exp);
    const stalled = await run(exp);
    const finished = await run(exp);
    const now = Date.now();
    await logBatch(stalled, [{ key: 'loss', value: 1, timestamp: now, step: 0 }]);
    await logBatch(lively, [{ key: 'loss', value: 1, timestamp: now + 9 * 60_000, step: 0 }]);
    await api.ok('POST', '/runs/update', { run_id: finished, status: 'FINISHED', end_time: now });
    clock = now + 10 * 60_000;
    await vi.waitFor(async () => expect(await alertsOf(stalled)).toHaveLength(1), { timeout: 10_000, interval: 50 });
    expect((await alertsOf(stalled))[0]).toMatchObject({ kind: 'stalled', run_id: stalled });
    expect((await alertsOf(stalled))[0].condition).toMatch(/no metric logged for 10 min/);
    expect(await alertsOf(lively)).toEqual([]);
    expect(await alertsOf(finished)).toEqual([]);
    // Later ticks do not fire it again.
    clock = now + 20 * 60_000;
    await vi.waitFor(async () => expect(await alertsOf(lively)).toHaveLength(1), { timeout: 10_000, interval: 50 });
    expect(await alertsOf(stalled)).toHaveLength(1);
  });
});
