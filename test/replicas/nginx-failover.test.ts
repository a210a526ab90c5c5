import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Nginx, startNginx } from '../support/nginx.ts';
import { freePort, type ServerProcess } from '../support/process-server.ts';
import { call, freshDatabase, fullHistory, skipNotice, startReplicas, stopReplicas, unavailable } from './topology.ts';

/**
 * Must-show of issue 4: the deployment guide's topology on loopback — two replicas on one
 * PostgreSQL database and one artifact destination behind nginx — runs an MLflow-style workload;
 * one replica is SIGKILLed mid-traffic; clients retrying through the balancer lose nothing that
 * was acknowledged.
 */
const reason = await unavailable({ nginx: true });
if (reason) skipNotice('test/replicas/nginx-failover.test.ts', reason);

const CLIENTS = 3;
const ROUNDS = 24;
const POINTS = 20;

describe.skipIf(reason !== undefined)('two replicas behind nginx', () => {
  let dir: string;
  let db: { uri: string; drop(): Promise<void> };
  let replicas: ServerProcess[] = [];
  let nginx: Nginx | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trove-nginx-'));
    db = await freshDatabase('nginx');
    replicas = await startReplicas(2, db.uri, join(dir, 'artifacts'));
    nginx = await startNginx(
      join(dir, 'nginx'),
      await freePort(),
      replicas.map((r) => r.url.replace('http://', '')),
    );
  });

  afterAll(async () => {
    await nginx?.stop();
    await stopReplicas(replicas);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a workload through the balancer and loses nothing acknowledged when a replica is killed', async () => {
    const lb = nginx!.url;
    const api = '/api/2.0/mlflow';
    // Both replicas answer through the balancer, and the request id reaches the replica and back.
    const seen = await fetch(`${lb}/health`, { headers: { 'x-request-id': 'edge-1' } });
    expect(seen.headers.get('x-request-id')).toBe('edge-1');
    expect((await call(lb, 'GET', '/ready')).status).toBe(200);

    const exp = await call(lb, 'POST', `${api}/experiments/create`, { name: 'through-nginx' });
    expect(exp.status).toBe(200);
    const experimentId: string = exp.body.experiment_id;

    const acked = new Map<string, Set<number>>(); // run → acknowledged steps
    const artifacts = new Map<string, string>(); // path under the run → content acknowledged
    const unexpected: string[] = [];
    let roundsDone = 0;
    let killedAt = -1;
    let retried = 0;

    async function client(c: number): Promise<void> {
      const run = await call(lb, 'POST', `${api}/runs/create`, {
        experiment_id: experimentId,
        start_time: Date.now(),
        run_name: `client-${c}`,
      });
      if (run.status !== 200) return void unexpected.push(`runs/create ${run.status} ${JSON.stringify(run.body)}`);
      const runId: string = run.body.run.info.run_id;
      const steps = new Set<number>();
      acked.set(runId, steps);
      const logged = await call(lb, 'POST', `${api}/runs/log-parameter`, {
        run_id: runId,
        key: 'client',
        value: String(c),
      });
      if (logged.status !== 200) unexpected.push(`log-parameter ${logged.status}`);
      for (let round = 0; round < ROUNDS; round++) {
        const batchSteps = Array.from({ length: POINTS }, (_, j) => round * POINTS + j);
        const metrics = batchSteps.map((step) => ({
          key: 'loss',
          value: 1 / (step + 1),
          timestamp: 1_700_000_000_000 + step,
          step,
        }));
        const res = await call(lb, 'POST', `${api}/runs/log-batch`, { run_id: runId, metrics });
        retried += res.attempts - 1;
        if (res.status === 200) for (const s of batchSteps) steps.add(s);
        else unexpected.push(`log-batch ${res.status} ${JSON.stringify(res.body)}`);
        if (round % 6 === 5) {
          const path = `${experimentId}/${runId}/artifacts/round-${round}.txt`;
          const content = `client ${c} round ${round}\n`.repeat(2000);
          const put = await call(lb, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${path}`, Buffer.from(content), {
            raw: true,
          });
          retried += put.attempts - 1;
          if (put.status === 200) artifacts.set(path, content);
          else unexpected.push(`artifact PUT ${put.status} ${JSON.stringify(put.body)}`);
          const get = await fetch(`${lb}/api/2.0/mlflow-artifacts/artifacts/${path}`).catch(() => undefined);
          if (get && get.status === 200 && (await get.text()) !== content)
            unexpected.push(`artifact GET of ${path} differs`);
        }
        roundsDone++;
        // Kill one replica once about a third of the work is done, while the others keep going.
        if (killedAt < 0 && roundsDone >= (CLIENTS * ROUNDS) / 3) {
          killedAt = roundsDone;
          replicas[0].child.kill('SIGKILL');
        }
      }
      const end = await call(lb, 'POST', `${api}/runs/update`, {
        run_id: runId,
        status: 'FINISHED',
        end_time: Date.now(),
      });
      if (end.status !== 200) unexpected.push(`runs/update ${end.status}`);
    }
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    expect(killedAt).toBeGreaterThan(0);
    expect(replicas[0].child.signalCode).toBe('SIGKILL');
    expect(unexpected).toEqual([]);

    // Everything acknowledged is there, exactly once, read through the balancer (one replica left).
    expect(acked.size).toBe(CLIENTS);
    for (const [runId, steps] of acked) {
      expect(steps.size).toBe(ROUNDS * POINTS);
      const history = await fullHistory(lb, runId, 'loss');
      const got = history.map((p) => Number(p.step)).sort((x, y) => x - y);
      expect(got).toEqual([...steps].sort((x, y) => x - y));
      const run = await call(lb, 'GET', `${api}/runs/get?run_id=${runId}`);
      expect(run.body.run.info.status).toBe('FINISHED');
      expect(Number(run.body.run.data.metrics.find((m: { key: string }) => m.key === 'loss').step)).toBe(
        ROUNDS * POINTS - 1,
      );
    }
    expect(artifacts.size).toBe(CLIENTS * Math.floor(ROUNDS / 6));
    for (const [path, content] of artifacts) {
      const res = await fetch(`${lb}/api/2.0/mlflow-artifacts/artifacts/${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(content);
    }
    const listed = await call(lb, 'GET', `/api/2.0/mlflow-artifacts/artifacts?path=${experimentId}`);
    expect(listed.status).toBe(200);
    console.log(
      `nginx failover: killed replica after ${killedAt} rounds; ${retried} client retries; ${[...acked.values()].reduce((n, s) => n + s.size, 0)} points and ${artifacts.size} artifacts acknowledged and found`,
    );
  });
});
