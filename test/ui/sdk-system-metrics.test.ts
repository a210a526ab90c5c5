// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
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

describe('SDK system metrics in the UI', { timeout: 90_000 }, () => {
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
});
