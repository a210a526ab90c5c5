// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trove } from '../support/server.ts';
import { eventually, startUiHarness, type UiHarness } from './support/harness.ts';

let h: UiHarness;

beforeAll(async () => {
  h = await startUiHarness();
  const t = trove(h.server);
  const name = h.seeded.modelName;
  await t.ok('POST', '/deployments', { name, version: 1, environment: 'staging' }, 'cd-bot');
  await t.ok(
    'POST',
    '/deployments',
    { name, version: 1, environment: 'prod', url: 'https://serve.example/m' },
    'cd-bot',
  );
  await t.ok('POST', '/deployments', { name, version: 1, environment: 'staging', status: 'stopped' }, 'alice');
}, 120_000);
afterAll(() => h?.close());

describe('deployments on the model page, lineage links', { timeout: 90_000 }, () => {
  it('lists the current deployment of each environment, then the history, with who, when and the URL', async () => {
    const { page, errors } = await h.open(`/models/${h.seeded.modelName}`);
    const table = page.getByRole('table', { name: 'Deployments' });
    await eventually(() => table.locator('tbody tr').count()).toBe(3);
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows[0]).toMatch(/^staging\s+v1\s+stopped\s+.+\s+alice/);
    expect(rows[1]).toMatch(/^prod\s+v1\s+running\s+.+\s+cd-bot\s+https:\/\/serve\.example\/m/);
    expect(rows[2]).toMatch(/^staging \(earlier\)\s+v1\s+running/);
    expect(
      await table.locator('tbody tr').evaluateAll((els) => els.map((e) => e.getAttribute('data-current'))),
    ).toEqual(['true', 'true', 'false']);
    expect(await table.getByRole('link', { name: 'https://serve.example/m' }).getAttribute('rel')).toContain(
      'noopener',
    );
    expect(errors).toEqual([]);
  });

  it('links the version page and the run page to the lineage graph of that node', async () => {
    const name = h.seeded.modelName;
    const { page } = await h.open(`/models/${name}/versions/1`);
    const link = page.getByRole('link', { name: 'Lineage graph' });
    await eventually(() => link.getAttribute('href')).toBe(
      `/lineage?node=${encodeURIComponent(`model_version:${name}/1`)}`,
    );
    const run = await h.open(`/runs/${h.seeded.baselineRunId}`);
    const runLink = run.page.getByRole('link', { name: 'Lineage', exact: true });
    await eventually(() => runLink.getAttribute('href')).toBe(
      `/lineage?node=${encodeURIComponent(`run:${h.seeded.baselineRunId}`)}`,
    );
  });
});
