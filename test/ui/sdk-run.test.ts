// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { deflateSync } from 'node:zlib';
import { startRun, TrackingClient } from '@trove/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasHasInk } from './support/browser.ts';
import { eventually, startUiHarness, type UiHarness } from './support/harness.ts';

let h: UiHarness;
let runPath: string;
let systemKeys: string[];

// A run logged by the TypeScript SDK with its system-metrics sampler, as a training script would.
beforeAll(async () => {
  h = await startUiHarness();
  const client = new TrackingClient({ trackingUri: h.server.url });
  const run = await startRun(client, { experimentName: 'sdk-sampler', systemMetrics: { samplingIntervalMs: 200 } });
  run.log({ metrics: { loss: 0.5 }, step: 0 });
  for (const step of [0, 5, 10]) await run.logImage('sample', step, grayPng(step * 20));
  await run.logImage('mask', 5, grayPng(255));
  for (;;) {
    const cpu = await client.getMetricHistory(run.runId, 'system/cpu_utilization_percentage');
    if (cpu.length >= 2) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await run.end();
  const info = await client.getRun(run.runId);
  systemKeys = info.data
    .metrics!.map((m) => m.key)
    .filter((k) => k.startsWith('system/'))
    .sort();
  runPath = `/experiments/${info.info.experiment_id}/runs/${run.runId}`;
}, 180_000);
afterAll(async () => h?.close());

describe('an SDK-logged run in the UI', { timeout: 90_000 }, () => {
  it('the run’s Charts tab shows the sampler’s system/ keys in their own section', async () => {
    expect(systemKeys).toEqual(
      expect.arrayContaining([
        'system/cpu_utilization_percentage',
        'system/system_memory_usage_megabytes',
        'system/disk_usage_percentage',
      ]),
    );
    const { page, errors } = await h.open(`${runPath}?tab=charts`);
    const summary = page.locator('details.system-metrics > summary');
    await eventually(() => summary.innerText()).toBe(`System metrics (${systemKeys.length})`);
    await summary.click();
    const cards = () =>
      page
        .locator('details.system-metrics .chart-card')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-metric')).sort());
    await eventually(cards).toEqual(systemKeys);
    await eventually(() =>
      canvasHasInk(page, 'details.system-metrics .chart-card[data-metric="system/cpu_utilization_percentage"] canvas'),
    ).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the Images tab’s step slider walks the images logImage wrote per step', async () => {
    const { page, errors } = await h.open(`${runPath}?tab=images`);
    const figure = (key: string) => page.locator(`.image-steps figure[data-key="${key}"]`);
    // The last step first; a key with nothing at a step shows its latest image before it.
    await eventually(() => figure('sample').getAttribute('data-step')).toBe('10');
    expect(await figure('mask').getAttribute('data-step')).toBe('5');
    expect(await page.locator('.image-steps-slider label').innerText()).toBe('Step 10 (3 of 3)');
    await page.locator('.image-steps-slider input[type="range"]').fill('0');
    await eventually(() => figure('sample').getAttribute('data-step')).toBe('0');
    expect(await figure('mask').getAttribute('data-step')).toBe('5');
    await eventually(() =>
      figure('sample')
        .locator('img')
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

/** A 1×1 grayscale PNG. */
function grayPng(level: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])),
    chunk('IDAT', deflateSync(Buffer.from([0, level]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
