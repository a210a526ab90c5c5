// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Nginx, startNginx } from '../support/nginx.ts';
import { freePort, type ServerProcess } from '../support/process-server.ts';
import { launchBrowser, newPage } from '../ui/support/browser.ts';
import { call, freshDatabase, skipNotice, startReplicas, stopReplicas, unavailable } from './topology.ts';

/**
 * Must-show of issue 15 (live pages): a browser watches a run page served by replica 2 (through
 * nginx, with the shipped configuration) while the test writes a metric point and a status change
 * to replica 1. The page shows both without a reload: the write's live event is committed on
 * replica 1, PostgreSQL NOTIFY wakes replica 2's tailer, which pushes it down the page's event
 * stream. The latency from each write's acknowledgement to the page showing it is printed; the
 * issue asks for ≤ 1 s, the assertion allows 5 s on a loaded CI machine.
 */
const reason = await unavailable({ nginx: true });
if (reason) skipNotice('test/replicas/live-events.test.ts', reason);

const BOUND_MS = 5000;

describe.skipIf(reason !== undefined)('live run page across replicas', () => {
  let dir: string;
  let db: { uri: string; drop(): Promise<void> };
  let replicas: ServerProcess[] = [];
  let nginx: Nginx | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trove-live-'));
    db = await freshDatabase('live');
    replicas = await startReplicas(2, db.uri, join(dir, 'artifacts'));
    // nginx in front of replica 2 only, so the page's stream is certainly not on the writing replica.
    nginx = await startNginx(join(dir, 'nginx'), await freePort(), [replicas[1].url.replace('http://', '')]);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
    await stopReplicas(replicas);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a metric point and a status change written to the other replica, without a reload', {
    timeout: 90_000,
  }, async () => {
    const writer = replicas[0].url;
    const api = '/api/2.0/mlflow';
    const exp = (await call(writer, 'POST', `${api}/experiments/create`, { name: 'live-replicas' })).body.experiment_id;
    const runId = (await call(writer, 'POST', `${api}/runs/create`, { experiment_id: exp, run_name: 'watched' })).body
      .run.info.run_id;
    await call(writer, 'POST', `${api}/runs/log-metric`, {
      run_id: runId,
      key: 'loss',
      value: 0.9,
      timestamp: 1,
      step: 0,
    });

    const { page, errors } = await newPage(browser!, nginx!.url);
    let navigations = 0;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++;
    });
    const streamed = page.waitForResponse((r) => r.url().includes('/api/trove/v1/events?'));
    await page.goto(`/experiments/${exp}/runs/${runId}`);
    const latestLoss = page.locator('table[aria-label="Metrics"] tr[data-metric="loss"] td').first();
    await expect.poll(() => latestLoss.innerText(), { timeout: 15_000 }).toBe('0.9');
    expect((await streamed).headers()['content-type']).toMatch(/^text\/event-stream/);
    // The page says Live once its stream is subscribed (the server's `ready` event).
    await expect.poll(() => page.getByTestId('live-status').innerText(), { timeout: 15_000 }).toBe('Live');

    const shows = async (check: () => Promise<boolean>): Promise<number> => {
      const start = Date.now();
      await expect.poll(check, { timeout: BOUND_MS, interval: 25 }).toBe(true);
      return Date.now() - start;
    };
    const ackMetric = await call(writer, 'POST', `${api}/runs/log-metric`, {
      run_id: runId,
      key: 'loss',
      value: 0.25,
      timestamp: 2,
      step: 1,
    });
    expect(ackMetric.status).toBe(200);
    const metricMs = await shows(async () => (await latestLoss.innerText()) === '0.25');

    expect((await call(writer, 'POST', `${api}/runs/update`, { run_id: runId, status: 'FINISHED' })).status).toBe(200);
    const statusMs = await shows(async () => (await page.locator('.page-header .badge').innerText()) === 'FINISHED');

    console.log(`live across replicas: metric shown ${metricMs} ms, status shown ${statusMs} ms after the write`);
    expect(navigations).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
