import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow } from '../support/server.ts';
import { eventually, runNames, startSweepHarness, type UiHarness } from './support/harness.ts';
import type { SweepSeeded } from './support/sweep-seed.ts';

let ui: UiHarness<SweepSeeded>;

beforeAll(async () => {
  ui = await startSweepHarness();
}, 180_000);
afterAll(async () => ui?.close());

const runRow = (page: Page, name: string) =>
  page.locator('table[aria-label="Runs"] tbody tr[data-run-id]', { has: page.getByText(name, { exact: true }) });
const experimentRow = (page: Page, name: string) =>
  page.locator('table[aria-label="Experiments"] tbody tr', { has: page.getByRole('link', { name, exact: true }) });

describe('deleting asks first and offers undo', { timeout: 120_000 }, () => {
  it('deletes selected runs after a confirmation naming them, and Undo restores them', async () => {
    const { page, errors } = await ui.open(`/experiments/${ui.seeded.experimentId}`);
    await eventually(async () => (await runNames(page)).length).toBeGreaterThan(2);
    const [first, second] = await runNames(page);
    await page.getByRole('checkbox', { name: `Select run ${first}` }).check();
    await page.getByRole('checkbox', { name: `Select run ${second}` }).check();

    // Cancel (and Escape) leave everything where it was.
    await page.getByRole('button', { name: 'Delete selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 2 runs?' });
    await eventually(() => dialog.getByRole('list', { name: 'Runs to delete' }).innerText()).toContain(first);
    expect(await dialog.innerText()).toContain(second);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => dialog.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await eventually(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await eventually(() => dialog.isVisible()).toBe(false);
    expect(await runRow(page, first).count()).toBe(1);

    await page.getByRole('button', { name: 'Delete selected' }).click();
    await dialog.getByRole('button', { name: 'Delete 2 runs' }).click();
    const toast = page.locator('.undo-toast');
    await eventually(() => toast.innerText()).toContain('Deleted 2 runs');
    await eventually(() => runRow(page, first).count()).toBe(0);
    expect(await runRow(page, second).count()).toBe(0);

    await toast.getByRole('button', { name: 'Undo' }).click();
    await eventually(() => runRow(page, first).count()).toBe(1);
    expect(await runRow(page, second).count()).toBe(1);
    await eventually(() => toast.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('deletes an experiment after a confirmation, and Undo restores it', async () => {
    await mlflow(ui.server).createExperiment('scratch-to-delete');
    const { page, errors } = await ui.open('/experiments');
    await eventually(() => experimentRow(page, 'scratch-to-delete').count()).toBe(1);
    await page.getByRole('button', { name: 'Delete scratch-to-delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete experiment “scratch-to-delete”?' });
    await dialog.getByRole('button', { name: 'Delete experiment' }).click();
    await eventually(() => experimentRow(page, 'scratch-to-delete').count()).toBe(0);
    const toast = page.locator('.undo-toast');
    await eventually(() => toast.innerText()).toContain('Deleted experiment “scratch-to-delete”');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await eventually(() => experimentRow(page, 'scratch-to-delete').count()).toBe(1);
    await eventually(() => toast.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('errors do not outlive the next action', { timeout: 120_000 }, () => {
  it('a failed bulk tag’s message goes once the next action works', async () => {
    const { page } = await ui.open(`/experiments/${ui.seeded.experimentId}`);
    await eventually(async () => (await runNames(page)).length).toBeGreaterThan(2);
    const [first] = await runNames(page);
    await page.getByRole('checkbox', { name: `Select run ${first}` }).check();
    const bulk = page.getByLabel('Bulk actions');
    await bulk.getByLabel('Tag key').fill('bad!key');
    await bulk.getByRole('button', { name: 'Tag selected' }).click();
    await eventually(() => bulk.getByRole('alert').innerText()).toContain('INVALID_PARAMETER_VALUE');

    await page.getByRole('button', { name: 'Delete selected' }).click();
    await page.getByRole('dialog', { name: 'Delete this run?' }).getByRole('button', { name: 'Delete run' }).click();
    await eventually(() => page.locator('.undo-toast').innerText()).toContain('Deleted 1 run');
    await eventually(() => bulk.getByRole('alert').count()).toBe(0);
    await page.locator('.undo-toast').getByRole('button', { name: 'Undo' }).click();
    await eventually(() => runRow(page, first).count()).toBe(1);
    await page.context().close();
  });

  it('a refused filter keeps the last results on screen, the message under the filter box', async () => {
    const { page, errors } = await ui.open(`/experiments/${ui.seeded.experimentId}`);
    await eventually(async () => (await runNames(page)).length).toBeGreaterThan(2);
    const before = await runNames(page);
    const filter = page.getByLabel('Filter runs (MLflow syntax; OR and parentheses allowed)');
    await filter.fill('params.lr >');
    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually(() => page.locator('.filter-error').innerText()).toContain('INVALID_PARAMETER_VALUE');
    expect(await runNames(page)).toEqual(before);

    // A filter that works replaces both.
    await filter.fill("params.optimizer = 'nonexistent'");
    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually(() => page.locator('.filter-error').count()).toBe(0);
    await eventually(() => runNames(page)).toEqual([]);
    expect(errors.filter((e) => !/400/.test(e))).toEqual([]);
    await page.context().close();
  });
});
