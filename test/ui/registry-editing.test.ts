// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, trove } from '../support/server.ts';
import { screenshot } from './support/browser.ts';
import { eventually, startSweepHarness, type UiHarness, unlabelledControls } from './support/harness.ts';
import type { SweepSeeded } from './support/sweep-seed.ts';

let h: UiHarness<SweepSeeded>;
beforeAll(async () => {
  h = await startSweepHarness();
}, 300_000);
afterAll(async () => h?.close());

/** Types a name into the top bar's "Acting as" field (what writes send as X-Trove-User). */
async function actAs(page: Page, user: string) {
  const field = page.getByLabel('Acting as');
  await field.fill(user);
  await field.press('Enter');
  await eventually(() => page.evaluate(() => localStorage.getItem('trove.user'))).toBe(user);
}

const getModel = async (name: string) => mlflow(h.server).get('/registered-models/get', { name });
const getVersion = async (name: string, version: string) =>
  (await mlflow(h.server).ok('GET', `/model-versions/get?name=${name}&version=${version}`)).model_version;

describe('registry editing', { timeout: 180_000 }, () => {
  it('creates a model, edits its description and tags, registers a version from a run, deletes it after typing its name', async () => {
    const { page, errors } = await h.open('/models');
    await eventually(() => page.locator('h1').innerText()).toBe('Registered models');
    await actAs(page, 'alice');
    await page.getByRole('button', { name: 'New model' }).click();
    const create = page.getByRole('form', { name: 'Create model' });
    await create.getByLabel('Model name').fill('sweep-distilled');
    await create.getByLabel('Description (Markdown)').fill('Distilled from the **LR sweep**.');
    await create.getByRole('button', { name: 'Add a tag' }).click();
    await create.getByLabel('Tag 1 key').fill('task');
    await create.getByLabel('Tag 1 value').fill('classification');
    expect(await unlabelledControls(page)).toEqual([]);
    await create.getByRole('button', { name: 'Create model' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('sweep-distilled');
    expect(new URL(page.url()).pathname).toBe('/models/sweep-distilled');
    expect(await page.getByRole('region', { name: 'Model description' }).locator('strong').innerText()).toBe(
      'LR sweep',
    );
    const tags = page.getByRole('table', { name: 'Model tags' });
    expect(await tags.locator('tr[data-tag="task"]').innerText()).toMatch(/task\s+classification/);

    // Description: edited in place as Markdown text.
    await page.getByRole('button', { name: 'Edit description' }).click();
    await page.getByLabel('Description (Markdown)').fill('Distilled student of `trial-00`.');
    await page.getByRole('button', { name: 'Save description' }).click();
    await eventually(() => page.getByRole('region', { name: 'Model description' }).innerText()).toBe(
      'Distilled student of trial-00.',
    );
    // Tags: add, edit a value, delete.
    await page.getByLabel('Tag key').fill('owner');
    await page.getByLabel('Tag value').fill('alice');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await eventually(() => tags.locator('tr[data-tag="owner"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Edit tag task' }).click();
    await page.getByLabel('Value of task').fill('detection');
    await tags.getByRole('button', { name: 'Save' }).click();
    await eventually(() => tags.locator('tr[data-tag="task"] td').first().innerText()).toBe('detection');
    await page.getByRole('button', { name: 'Delete tag owner' }).click();
    await eventually(() => tags.locator('tr[data-tag="owner"]').count()).toBe(0);
    const stored = (await getModel('sweep-distilled')).body.registered_model;
    expect(stored.description).toBe('Distilled student of `trial-00`.');
    expect(stored.tags).toEqual([{ key: 'task', value: 'detection' }]);

    // Register a version: find the run by name, its model folder is offered, the source names it.
    const child4 = h.seeded.childRunIds[0][4];
    await page.getByRole('button', { name: 'Register a version' }).click();
    const dialog = page.getByRole('dialog', { name: 'Register a version of sweep-distilled' });
    await dialog.getByLabel('Run name or ID').fill('trial-00/child-4');
    await dialog
      .getByRole('list', { name: 'Matching runs' })
      .getByRole('button', { name: /trial-00\/child-4/ })
      .click();
    await eventually(() => dialog.getByLabel('Model folder').inputValue()).toBe('model');
    expect(await dialog.innerText()).toContain(`runs:/${child4}/model`);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'registry-register-version');
    await dialog.getByRole('button', { name: 'Register version' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('sweep-distilled v1');
    const v1 = await getVersion('sweep-distilled', '1');
    expect(v1).toMatchObject({ source: `runs:/${child4}/model`, run_id: child4, user_id: 'alice' });
    // The version page reads the registered folder's MLmodel.
    await eventually(() => page.getByRole('table', { name: 'Inputs' }).innerText()).toContain('tensor<float32>');

    // Delete the model: the button stays disabled until the name is typed.
    await page.getByRole('link', { name: 'sweep-distilled', exact: true }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('sweep-distilled');
    await page.getByRole('button', { name: 'Delete model' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete sweep-distilled?' });
    const go = confirm.getByRole('button', { name: 'Delete model' });
    expect(await go.isDisabled()).toBe(true);
    await confirm.getByLabel('Type “sweep-distilled” to confirm').fill('sweep-distille');
    expect(await go.isDisabled()).toBe(true);
    await confirm.getByLabel('Type “sweep-distilled” to confirm').fill('sweep-distilled');
    await go.click();
    await eventually(() => page.locator('h1').innerText()).toBe('Registered models');
    expect((await getModel('sweep-distilled')).status).toBe(404);
    expect(await page.locator('table[aria-label="Registered models"]').innerText()).not.toContain('sweep-distilled');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('registers a run’s model folder from the run page into an existing model, then deletes that version', async () => {
    const child4 = h.seeded.childRunIds[0][4];
    const { page, errors } = await h.open(`/runs/${child4}?tab=artifacts&path=model/MLmodel`);
    await eventually(() => page.locator('h1').innerText()).toBe('trial-00/child-4');
    await actAs(page, 'bob');
    await page.getByRole('button', { name: 'Register model' }).click();
    const dialog = page.getByRole('dialog', { name: 'Register a model from this run' });
    await eventually(() => dialog.getByLabel('Model folder').inputValue()).toBe('model');
    await dialog.getByLabel('Registered model').fill('sweep-model');
    await eventually(() => dialog.getByRole('status').innerText()).toBe('Adds a new version to sweep-model.');
    expect(await unlabelledControls(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Register version' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('sweep-model v4');
    expect(await getVersion('sweep-model', '4')).toMatchObject({ source: `runs:/${child4}/model`, run_id: child4 });

    // Delete it again: a confirmation, then the model page without v4.
    await page.getByRole('button', { name: 'Delete version' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete sweep-model v4?' });
    await confirm.getByRole('button', { name: 'Delete version' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('sweep-model');
    const rows = page.locator('table[aria-label="Model versions"] tbody tr');
    await eventually(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-version')))).toEqual([
      '3',
      '2',
      '1',
    ]);
    expect((await mlflow(h.server).get('/model-versions/get', { name: 'sweep-model', version: '4' })).status).toBe(404);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('edits a version, moves it to Staging directly and asks review for Production, sets and removes aliases', async () => {
    const { page, errors } = await h.open('/models/sweep-model/versions/2');
    // No live events on this page: it must meet the server's refusal of a rule it has not heard of (below).
    await page.route('**/api/trove/v1/events?**', (route) => route.abort());
    await page.reload();
    await eventually(() => page.locator('h1').innerText()).toBe('sweep-model v2');
    await actAs(page, 'bob');

    await page.getByRole('button', { name: 'Edit description' }).click();
    await page.getByLabel('Description (Markdown)').fill('Child 1 of trial-00, *retrained*.');
    await page.getByRole('button', { name: 'Save description' }).click();
    await eventually(() => page.getByRole('region', { name: 'Version description' }).innerText()).toBe(
      'Child 1 of trial-00, retrained.',
    );
    const tags = page.getByRole('table', { name: 'Version tags' });
    expect(await tags.locator('tr[data-tag="validated"]').innerText()).toMatch(/validated\s+false/);
    await page.getByRole('button', { name: 'Edit tag validated' }).click();
    await page.getByLabel('Value of validated').fill('true');
    await tags.getByRole('button', { name: 'Save' }).click();
    await eventually(() => tags.locator('tr[data-tag="validated"] td').first().innerText()).toBe('true');
    await page.getByLabel('Tag key').fill('eval');
    await page.getByLabel('Tag value').fill('holdout-v3');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await eventually(() => tags.locator('tr[data-tag="eval"]').count()).toBe(1);

    // Staging is not under the policy: a direct change.
    const stage = page.getByRole('form', { name: 'Change stage' });
    await stage.getByLabel('New stage').selectOption('Staging');
    expect(await stage.locator('.policy-note').count()).toBe(0);
    await stage.getByRole('button', { name: 'Change stage' }).click();
    const lineageStage = page.getByRole('list', { name: 'Lineage' }).locator('[data-node="deployment"]');
    await eventually(() => lineageStage.innerText()).toContain('Staging');
    expect((await getVersion('sweep-model', '2')).current_stage).toBe('Staging');

    // Production is: the control says so and sends a review request instead.
    await stage.getByLabel('New stage').selectOption('Production');
    await eventually(() => stage.locator('.policy-note').innerText()).toContain(
      "Moving to Production needs 1 approval under this model's review policy",
    );
    await stage.getByLabel('Request comment').fill('Staging looks good.');
    await screenshot(page, 'registry-version-stage');
    await stage.getByRole('button', { name: 'Request review' }).click();
    await eventually(() => stage.getByRole('status').innerText()).toContain('Requested v2 → Production');
    const pending = await trove(h.server).ok('GET', '/registered-models/sweep-model/requests?status=pending');
    expect(
      pending.requests.map((r: { version: string; stage?: string; requester: string; comment?: string }) => [
        r.version,
        r.stage,
        r.requester,
        r.comment,
      ]),
    ).toContainEqual(['2', 'Production', 'bob', 'Staging looks good.']);
    expect((await getVersion('sweep-model', '2')).current_stage).toBe('Staging');

    // An alias no rule covers is set directly, and removed again.
    const alias = page.getByRole('form', { name: 'Set alias' });
    await alias.getByLabel('Alias').fill('candidate');
    await alias.getByRole('button', { name: 'Set alias' }).click();
    await eventually(async () => (await getVersion('sweep-model', '2')).aliases).toEqual(
      expect.arrayContaining(['candidate', 'champion']),
    );
    await eventually(() => page.getByRole('list', { name: 'Aliases of this version' }).innerText()).toContain(
      '@candidate',
    );
    // The removal re-reads the model's queries, the review policy among them: that read must land before the
    // policy changes below, or the page would already know the new rule and never meet the server's refusal.
    const policyReads = new Map<Request, boolean>();
    const isPolicyRead = (r: Request) => r.method() === 'GET' && new URL(r.url()).pathname.endsWith('/review-policy');
    page.on('request', (r) => isPolicyRead(r) && policyReads.set(r, false));
    const settle = (r: Request) => policyReads.has(r) && policyReads.set(r, true);
    page.on('requestfinished', settle);
    page.on('requestfailed', settle);
    await page.getByRole('form', { name: 'Remove @candidate' }).getByRole('button').click();
    await eventually(async () => (await getVersion('sweep-model', '2')).aliases).toEqual(['champion']);
    await eventually(() => policyReads.size > 0 && [...policyReads.values()].every(Boolean)).toBe(true);

    // A rule added after the page loaded: a page that has not heard of it (its live-event stream is refused in
    // this test; a live page learns the rule at once) meets the server's refusal, says so and offers the request.
    await trove(h.server).ok(
      'PUT',
      '/registered-models/sweep-model/review-policy',
      {
        rules: [
          { kind: 'stage', target: 'Production', required_approvals: 1 },
          { kind: 'alias', target: 'shadow', required_approvals: 1 },
        ],
      },
      'alice',
    );
    await alias.getByLabel('Alias').fill('shadow');
    await alias.getByRole('button', { name: 'Set alias' }).click();
    await eventually(() => alias.getByRole('alert').innerText()).toMatch(
      /Refused by the review policy\.[\s\S]*Setting alias 'shadow' needs 1 approval/,
    );
    await alias.getByRole('button', { name: 'Request review' }).click();
    await eventually(() => alias.getByRole('status').innerText()).toContain('Requested @shadow → v2');
    expect((await getVersion('sweep-model', '2')).aliases).toEqual(['champion']);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows version tags and compares v1..v3 side by side: stage, aliases, signature, tags, params, metrics', async () => {
    const { page, errors } = await h.open('/models/sweep-model');
    await eventually(() => page.locator('h1').innerText()).toBe('sweep-model');
    const row = (v: string) => page.locator(`table[aria-label="Model versions"] tbody tr[data-version="${v}"]`);
    await eventually(() => row('1').locator('[data-tag="validated"]').innerText()).toBe('validated: true');
    expect(await row('1').locator('td').nth(1).innerText()).toBe('Production');
    for (const v of ['1', '2', '3']) await page.getByLabel(`Select version ${v} to compare`).check();
    await page.getByRole('link', { name: 'Compare 3 versions' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('Compare sweep-model v1, v2, v3');
    expect(new URL(page.url()).search).toBe('?v=1&v=2&v=3');
    const table = page.getByRole('table', { name: 'Version comparison' });
    const key = (k: string) => table.locator(`tr[data-key="${k}"]`);
    await eventually(() => key('stage').getAttribute('data-differs')).toBe('true');
    expect(await key('stage').innerText()).toMatch(/stage\s*\(differs\)\s+Production\s+Staging\s+None/);
    expect(await key('aliases').innerText()).toMatch(/@champion/);
    expect(await key('source').innerText()).toContain('mlflow-artifacts:/');
    // Same model signature for all three; params and metrics from each source run.
    expect(await key('inputs.#0').getAttribute('data-differs')).toBe('false');
    expect(await key('inputs.#0').innerText()).toContain('tensor<float32> [-1,3,224,224]');
    expect(await key('outputs.#0').innerText()).toContain('[-1,1000]');
    expect(await key('validated').getAttribute('data-differs')).toBe('true');
    expect(await key('dataset').getAttribute('data-differs')).toBe('false');
    expect(await key('lr').getAttribute('data-differs')).toBe('true');
    expect(await key('lr').innerText()).toMatch(/0\.00001\s+0\.00003\s+0\.0001/);
    expect(await key('loss').getAttribute('data-differs')).toBe('true');
    expect(await key('lr').getAttribute('class')).toBe('differs');
    await screenshot(page, 'registry-version-compare');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
