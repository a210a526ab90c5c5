// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { deflateSync } from 'node:zlib';
import { startRun, TrackingClient } from '@trove/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasHasInk } from './support/browser.ts';
import { eventually, startUiHarness, type UiHarness } from './support/harness.ts';

let h: UiHarness;
let runPath: string;
let systemKeys: string[];
/** The artifact path each series logged, by `<key>@<step>`. */
const logged = new Map<string, string>();

// A run logged by the TypeScript SDK with its system-metrics sampler, as a training script would.
beforeAll(async () => {
  h = await startUiHarness();
  const client = new TrackingClient({ trackingUri: h.server.url });
  const run = await startRun(client, { experimentName: 'sdk-sampler', systemMetrics: { samplingIntervalMs: 200 } });
  run.log({ metrics: { loss: 0.5 }, step: 0 });
  for (const step of [0, 5, 10]) logged.set(`sample@${step}`, await run.logImage('sample', step, grayPng(step * 20)));
  logged.set('mask@5', await run.logImage('mask', 5, grayPng(255)));
  for (const step of [0, 10]) logged.set(`speech@${step}`, await run.logAudio('speech', step, new Uint8Array([step])));
  logged.set('rollout@5', await run.logVideo('rollout', 5, new Uint8Array([5])));
  for (const step of [0, 5])
    logged.set(
      `confusion@${step}`,
      await run.logTable('confusion', step, [
        { label: `cat at ${step}`, n: step },
        { label: '<img src=x onerror="document.title=1">', n: null },
      ]),
    );
  const rows = Array.from({ length: 150 }, (_, i) => ({ i }));
  logged.set('big@10', await run.logTable('big', 10, rows));
  await run.logTable('huge', 10, [{ text: 'x'.repeat(5 * 1024 * 1024) }]);
  logged.set('attention@0', await run.logFile('attention', 0, new Uint8Array(3), { ext: 'npy' }));
  logged.set('attention@10', await run.logFile('attention', 10, new Uint8Array(2048), { ext: 'npy' }));
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

  it('the Media tab’s one step slider walks every kind logImage/logAudio/logVideo/logTable/logFile wrote', async () => {
    // An old `?tab=images` link opens the media tab.
    const { page, errors } = await h.open(`${runPath}?tab=images`);
    const item = (kind: string, key: string) => page.locator(`figure[data-kind="${kind}"][data-key="${key}"]`);
    const srcPath = async (kind: string, key: string, selector: string, attr = 'src') =>
      new URL((await item(kind, key).locator(selector).getAttribute(attr)) ?? '', h.server.url).searchParams.get(
        'path',
      );
    const cell = (key: string, row: number, col: number) =>
      item('table', key).locator(`tbody tr:nth-child(${row}) td:nth-child(${col})`).innerText();
    const shown = async () => ({
      sample: await srcPath('image', 'sample', 'img'),
      mask: await srcPath('image', 'mask', 'img'),
      speech: await srcPath('audio', 'speech', 'audio'),
      rollout: await srcPath('video', 'rollout', 'video'),
      confusion: await cell('confusion', 1, 1),
      attention: await srcPath('file', 'attention', 'a', 'href'),
      attentionText: await item('file', 'attention').locator('a').innerText(),
    });
    const at = (step: number) => (key: string) => logged.get(`${key}@${step}`);

    // The last step first; a key with nothing at a step shows its latest file before it (the first before any).
    await eventually(() => item('table', 'confusion').locator('tbody tr').count()).toBe(2);
    expect(await page.locator('#tab-media').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#tab-media').innerText()).toBe('Media');
    expect(await page.locator('.step-files-slider label').innerText()).toBe('Step 10 (3 of 3)');
    expect(await shown()).toEqual({
      sample: at(10)('sample'),
      mask: at(5)('mask'),
      speech: at(10)('speech'),
      rollout: at(5)('rollout'),
      confusion: 'cat at 5',
      attention: at(10)('attention'),
      attentionText: 'Download .npy (2.0 KB)',
    });
    expect(await page.locator('section[data-kind] h2').allInnerTexts()).toEqual([
      'Images',
      'Audio',
      'Video',
      'Tables',
      'Files',
    ]);
    // The 150-row table shows 100 rows and says so.
    await eventually(() => item('table', 'big').locator('tbody tr').count()).toBe(100);
    expect(await item('table', 'big').locator('.step-table-count').innerText()).toBe('Showing 100 of 150 rows');
    // A table past the page's read limit is not read, and says so.
    expect(await item('table', 'huge').innerText()).toMatch(/This table is 5\.0 MB, too large to show here/);
    expect(await item('table', 'huge').locator('table').count()).toBe(0);
    // Cells are text: the logged markup is shown, never parsed.
    expect(await cell('confusion', 2, 1)).toBe('<img src=x onerror="document.title=1">');
    expect(await item('table', 'confusion').locator('img').count()).toBe(0);
    expect(await item('audio', 'speech').locator('audio[controls]').count()).toBe(1);
    expect(await item('video', 'rollout').locator('video[controls]').count()).toBe(1);

    await page.locator('.step-files-slider input[type="range"]').fill('0');
    await eventually(() =>
      item('table', 'confusion').locator('tbody tr:nth-child(1) td:nth-child(1)').innerText(),
    ).toBe('cat at 0');
    expect(await shown()).toEqual({
      sample: at(0)('sample'),
      mask: at(5)('mask'),
      speech: at(0)('speech'),
      rollout: at(5)('rollout'),
      confusion: 'cat at 0',
      attention: at(0)('attention'),
      attentionText: 'Download .npy (3 B)',
    });
    expect(new URL(page.url()).searchParams.get('istep')).toBe('0');

    await page.locator('.step-files-slider input[type="range"]').fill('1');
    await eventually(() => item('image', 'sample').getAttribute('data-step')).toBe('5');
    await eventually(() => cell('confusion', 1, 1)).toBe('cat at 5');
    expect(await shown()).toMatchObject({
      sample: at(5)('sample'),
      speech: at(0)('speech'),
      attention: at(0)('attention'),
    });
    await eventually(() =>
      item('image', 'sample')
        .locator('img')
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBe(1);
    expect(await page.title()).not.toBe('1');
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
