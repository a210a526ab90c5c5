// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow } from '../support/server.ts';
import { eventually, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';

let h: UiHarness;
let api: ReturnType<typeof mlflow>;

beforeAll(async () => {
  h = await startUiHarness();
  api = mlflow(h.server);
}, 120_000);
afterAll(async () => h?.close());

describe('alerts in the UI', { timeout: 90_000 }, () => {
  it('creates and edits a rule on the experiment Alerts tab; the open run page shows, live, the alert a breaching point fires', async () => {
    const exp = (await api.ok('POST', '/experiments/create', { name: 'alerting' })).experiment_id;
    const { page, errors } = await h.open(`/experiments/${exp}`);
    await page.getByRole('navigation', { name: 'Experiment sections' }).getByRole('link', { name: 'Alerts' }).click();
    await eventually(() => new URL(page.url()).pathname).toBe(`/experiments/${exp}/alerts`);

    const form = page.getByRole('form', { name: 'New alert rule' });
    await form.getByLabel('Name').fill('loss too high');
    await form.getByLabel('Metric').fill('loss');
    await form.getByLabel('Operator').selectOption('>');
    await form.getByLabel('Value').fill('50');
    await form.getByRole('button', { name: 'Create rule' }).click();
    const rules = page.getByRole('table', { name: 'Alert rules' });
    await eventually(() => rules.innerText()).toContain('loss > 50');
    expect(await unlabelledControls(page)).toEqual([]);

    // Edit: the threshold comes down to 5.
    await rules.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit alert rule' });
    await edit.getByLabel('Value').fill('5');
    await edit.getByRole('button', { name: 'Save rule' }).click();
    // 'loss > 5' is inside the old 'loss > 50' too: wait for the new threshold with no digit after it.
    await eventually(() => rules.innerText()).toMatch(/loss > 5(?!\d)/);
    expect(await rules.innerText()).not.toContain('loss > 50');

    // The run page is open when a breaching point arrives through the API: the alert shows without a reload.
    const run = (await api.ok('POST', '/runs/create', { experiment_id: exp, start_time: Date.now() })).run.info.run_id;
    await page.goto(`/experiments/${exp}/runs/${run}`);
    await eventually(() => page.getByRole('heading', { name: 'Details' }).count()).toBe(1);
    expect(await page.getByRole('region', { name: /alerts? fired on this run/ }).count()).toBe(0);
    await api.ok('POST', '/runs/log-batch', {
      run_id: run,
      metrics: [
        { key: 'loss', value: 2, timestamp: Date.now(), step: 2 },
        { key: 'loss', value: 7.5, timestamp: Date.now(), step: 3 },
      ],
    });
    const banner = page.getByRole('region', { name: '1 alert fired on this run' });
    await eventually(() => banner.innerText()).toContain('loss too high');
    const text = await banner.innerText();
    expect(text).toContain('loss > 5');
    expect(text).toContain('step 3');
    expect(text).toContain('value 7.5');

    // The experiment's recent alerts list it too, linking to the run.
    await page.goto(`/experiments/${exp}/alerts`);
    const recent = page.getByRole('table', { name: 'Recent alerts' });
    await eventually(() => recent.innerText()).toContain('loss too high');
    expect(await recent.getByRole('link').getAttribute('href')).toContain(run);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
