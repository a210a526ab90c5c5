import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createApp, parseServerConfig } from '@trove/server';
import { insertTraceAssessment, openStore } from '@trove/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../packages/cli/bin/trove.js');
const dir = mkdtempSync(join(tmpdir(), 'trove-gc-traces-'));
const dbPath = join(dir, 'trove.db');
const artifactsDir = join(dir, 'artifacts');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gc = async (...args: string[]) =>
  (
    await exec(
      process.execPath,
      [CLI, 'gc', '--backend-store-uri', dbPath, '--artifacts-destination', artifactsDir, ...args],
      { cwd: dir },
    )
  ).stdout;

const DAY = 86_400_000;
/** Span content large enough that removing most traces frees megabytes of the file. */
const BIG = 'x'.repeat(100_000);

interface Seeded {
  expA: string;
  expB: string;
  /** Experiment A: 6 traces 40 days old (oldest first), then 3 from today. */
  oldA: string[];
  newA: string[];
  /** Experiment B: 4 traces from today, oldest first. */
  newB: string[];
}
let seed: Seeded;

/** Trace ids left per experiment, and the rows hanging off traces, over one short-lived connection. */
async function state() {
  const store = await openStore(dbPath, { migrate: false });
  try {
    const traces = await store.db.selectFrom('traces').select(['trace_id', 'experiment_id']).execute();
    const byExp: Record<string, string[]> = {};
    for (const t of traces) {
      const key = String(t.experiment_id);
      byExp[key] = [...(byExp[key] ?? []), t.trace_id];
    }
    const rows: Record<string, number> = {};
    for (const table of ['trace_tags', 'trace_metadata', 'trace_spans', 'trace_assessments'] as const)
      rows[table] = Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { byExp, rows };
  } finally {
    await store.close();
  }
}

const artifactOf = (exp: string, trace: string) => join(artifactsDir, exp, 'traces', trace);

beforeAll(async () => {
  const config = parseServerConfig({
    port: 0,
    backendStoreUri: dbPath,
    artifactsDestination: artifactsDir,
    logLevel: 'silent',
  });
  const store = await openStore(dbPath);
  const app = await createApp({ config, store, logger: false, webhooks: { dispatcher: false } });
  const call = async (method: 'POST' | 'PATCH', url: string, body: unknown) => {
    const res = await app.inject({ method, url: `/api/2.0/mlflow${url}`, payload: body as object });
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const trace = async (experimentId: string, timestampMs: number) => {
    const { trace_info } = await call('POST', '/traces', {
      experiment_id: experimentId,
      timestamp_ms: timestampMs,
      request_metadata: [{ key: 'mlflow.traceInputs', value: '{"q": "hi"}' }],
      tags: [{ key: 'env', value: 'prod' }],
    });
    const id = trace_info.request_id as string;
    await call('PATCH', `/traces/${id}`, { request_id: id, timestamp_ms: timestampMs + 5, status: 'OK' });
    const span = {
      name: 'root',
      context: { span_id: '0x00000000000000a1', trace_id: `0x${id}` },
      parent_id: null,
      start_time: timestampMs * 1e6,
      end_time: (timestampMs + 5) * 1e6,
      status_code: 'OK',
      status_message: '',
      attributes: { 'mlflow.spanInputs': JSON.stringify(BIG) },
      events: [],
    };
    const put = await app.inject({
      method: 'PUT',
      url: `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/traces/${id}/artifacts/traces.json`,
      payload: Buffer.from(JSON.stringify({ spans: [span], request: '{"q": "hi"}', response: '"hello"' })),
      headers: { 'content-type': 'application/octet-stream' },
    });
    if (put.statusCode !== 200) throw new Error(`PUT traces.json → ${put.statusCode}`);
    return id;
  };
  const expA = (await call('POST', '/experiments/create', { name: 'traces-a' })).experiment_id as string;
  const expB = (await call('POST', '/experiments/create', { name: 'traces-b' })).experiment_id as string;
  const now = Date.now();
  const oldA: string[] = [];
  for (let i = 0; i < 6; i++) oldA.push(await trace(expA, now - 40 * DAY + i));
  const newA: string[] = [];
  for (let i = 0; i < 3; i++) newA.push(await trace(expA, now - 1000 + i));
  const newB: string[] = [];
  for (let i = 0; i < 4; i++) newB.push(await trace(expB, now - 1000 + i));
  const old = await store.db
    .selectFrom('traces')
    .select('id')
    .where('trace_id', '=', oldA[0])
    .executeTakeFirstOrThrow();
  await insertTraceAssessment(store.db, {
    assessment_id: 'a-1',
    trace_pk: old.id,
    name: 'correct',
    kind: 'feedback',
    valid: 1,
    creation_time: now,
    last_update_time: now,
    content: '{}',
  });
  await app.close();
  await store.close();
  seed = { expA, expB, oldA, newA, newB };
});

describe('trove gc: traces', () => {
  it('leaves traces alone without a trace rule', async () => {
    const before = await state();
    expect(await gc()).not.toContain('trace');
    expect(await state()).toEqual(before);
  });

  it('--dry-run counts what a rule would remove and changes nothing', async () => {
    const before = await state();
    const out = await gc('--traces-older-than', '30d', '--dry-run');
    expect(out).toContain(`would remove 6 trace(s) of experiment ${seed.expA}`);
    expect(out).toContain('Dry run: would remove 6 trace(s).');
    expect(await state()).toEqual(before);
  });

  it('rejects a malformed rule', async () => {
    await expect(gc('--traces-older-than', '30 days')).rejects.toThrow(/--traces-older-than: expected a duration/);
    await expect(gc('--traces-keep', 'many')).rejects.toThrow(/--traces-keep: expected a whole number/);
  });

  it('--traces-older-than removes old traces with their rows and traces.json, then --vacuum shrinks the file', async () => {
    const before = await state();
    expect(before.rows.trace_spans).toBe(13);
    expect(existsSync(artifactOf(seed.expA, seed.oldA[0]))).toBe(true);
    const sizeBefore = statSync(dbPath).size;
    const out = await gc('--traces-older-than', '30d', '--vacuum');
    expect(out).toContain(`removed 6 trace(s) of experiment ${seed.expA}`);
    expect(out).toContain('Removed 6 trace(s).');
    expect(out).toMatch(/Vacuumed: database file [\d.]+ MiB → [\d.]+ MiB\./);
    const after = await state();
    expect(after.byExp[seed.expA].sort()).toEqual([...seed.newA].sort());
    expect(after.byExp[seed.expB].sort()).toEqual([...seed.newB].sort());
    // 2 tags (env, mlflow.artifactLocation) and 2+ metadata rows per trace went with it; 1 span each.
    expect(after.rows.trace_spans).toBe(7);
    expect(after.rows.trace_tags).toBe(before.rows.trace_tags - (before.rows.trace_tags / 13) * 6);
    expect(after.rows.trace_metadata).toBe(before.rows.trace_metadata - (before.rows.trace_metadata / 13) * 6);
    expect(after.rows.trace_assessments).toBe(0);
    for (const id of seed.oldA) expect(existsSync(artifactOf(seed.expA, id))).toBe(false);
    for (const id of seed.newA) expect(existsSync(artifactOf(seed.expA, id))).toBe(true);
    // Six 100 kB spans are gone from the file itself, not only from the tables.
    expect(statSync(dbPath).size).toBeLessThan(sizeBefore - 500_000);
  });

  it('--traces-keep keeps the newest traces of each experiment', async () => {
    const out = await gc('--traces-keep', '2');
    expect(out).toContain(`removed 1 trace(s) of experiment ${seed.expA}`);
    expect(out).toContain(`removed 2 trace(s) of experiment ${seed.expB}`);
    const after = await state();
    expect(after.byExp[seed.expA].sort()).toEqual(seed.newA.slice(1).sort());
    expect(after.byExp[seed.expB].sort()).toEqual(seed.newB.slice(2).sort());
    expect(after.rows.trace_spans).toBe(4);
  });
});
