// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, trove } from '../support/server.ts';
import { screenshot } from './support/browser.ts';
import { eventually, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    model_path: model.pkl
    python_version: 3.11.9
  sklearn:
    pickled_model: model.pkl
    sklearn_version: 1.5.1
mlflow_version: 2.17.2
model_size_bytes: 2048
model_uuid: 5f2c0d1e
saved_input_example_info:
  artifact_path: input_example.json
  type: dataframe
  pandas_orient: split
signature:
  inputs: '[{"type": "double", "name": "pixel_mean", "required": true}, {"type": "string", "name": "category", "required": false}]'
  outputs: '[{"type": "long", "required": true}]'
  params: null
utc_time_created: '2025-01-06 09:00:00.000000'
`;

let h: UiHarness;
let receiver: Server;
let receiverUrl: string;
const received: string[] = [];

beforeAll(async () => {
  // A webhook receiver: /ok answers 200 with a recognisable body, anything else 500.
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push(`${req.url} ${body.slice(0, 200)}`);
      if (req.url === '/ok') res.writeHead(200, { 'content-type': 'text/plain' }).end('ok-from-receiver');
      else res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver-broke');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  h = await startUiHarness({
    webhooks: {
      allowedSchemes: ['http', 'https'],
      allowPrivateIps: true,
      retryBaseMs: 100,
      pollMs: 50,
      maxAttempts: 2,
    },
  });
  // Model files for version 1 (logged from the baseline run), as the MLflow client writes them.
  const run = (await mlflow(h.server).ok('GET', `/runs/get?run_id=${h.seeded.baselineRunId}`)).run;
  const key = run.info.artifact_uri.replace(/^mlflow-artifacts:\//, '');
  for (const [rel, body] of [
    ['model/MLmodel', MLMODEL],
    ['model/input_example.json', '{"columns":["pixel_mean","category"],"data":[[0.42,"shoes"]]}'],
  ]) {
    const res = await fetch(`${h.server.url}/api/2.0/mlflow-artifacts/artifacts/${key}/${rel}`, {
      method: 'PUT',
      body,
    });
    expect(res.status).toBe(200);
  }
}, 120_000);
afterAll(async () => {
  await h?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** Types a name into the top bar's "Acting as" field (what writes send as X-Trove-User). */
async function actAs(page: Page, user: string) {
  const field = page.getByLabel('Acting as');
  await field.fill(user);
  await field.press('Enter');
  await eventually(() => page.evaluate(() => localStorage.getItem('trove.user'))).toBe(user);
}

describe('model version page', { timeout: 90_000 }, () => {
  it('shows lineage, the MLmodel view and a comment thread the user can post, edit and delete in', async () => {
    const { page, errors } = await h.open(`/models/${h.seeded.modelName}`);
    page.on('dialog', (d) => void d.accept());
    await page.getByRole('link', { name: 'Version 1', exact: true }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('resnet-classifier v1');
    expect(new URL(page.url()).pathname).toBe('/models/resnet-classifier/versions/1');

    // Lineage: dataset → run → version → stage/aliases.
    const lineage = page.getByRole('list', { name: 'Lineage' });
    expect(await lineage.locator('[data-node="datasets"]').innerText()).toMatch(
      /imagenet-mini[\s\S]*#a1b2c3d4[\s\S]*training/,
    );
    expect(await lineage.locator('[data-node="run"]').innerText()).toContain('baseline-resnet');
    expect(await lineage.locator('[data-node="version"]').innerText()).toContain('resnet-classifier v1');
    expect(await lineage.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))).toEqual([
      'datasets',
      'run',
      'version',
      'deployment',
    ]);

    // MLmodel: flavors, signature schema, input example, how to load it.
    expect(await page.getByRole('table', { name: 'MLmodel' }).innerText()).toMatch(
      /python_function[\s\S]*sklearn\s+1\.5\.1[\s\S]*2\.17\.2/,
    );
    const inputs = page.getByRole('table', { name: 'Inputs' });
    expect(await inputs.locator('tbody tr').count()).toBe(2);
    expect(await inputs.locator('tbody tr').nth(0).innerText()).toMatch(/pixel_mean\s+double\s+yes/);
    expect(await inputs.locator('tbody tr').nth(1).innerText()).toMatch(/category\s+string\s+no/);
    expect(await page.getByRole('table', { name: 'Outputs' }).innerText()).toContain('long');
    expect(await page.getByLabel('Input example').innerText()).toContain('shoes');
    expect(await page.getByLabel('How to load it').innerText()).toContain(
      'mlflow.pyfunc.load_model("models:/resnet-classifier/1")',
    );

    // Comments need a user; bob's comment is there first and alice cannot change it.
    await trove(h.server).ok(
      'POST',
      '/registered-models/resnet-classifier/versions/1/comments',
      { body: 'Numbers from the v3 split.' },
      'bob',
    );
    await page.reload();
    await eventually(() => page.locator('.comment').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Post comment' }).isDisabled()).toBe(true);
    await actAs(page, 'alice');
    await page.getByLabel('New comment').fill('Looks good to ship.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    const mine = page.locator('.comment[data-author="alice"]');
    await eventually(() => mine.count()).toBe(1);
    expect(await page.locator('.comment[data-author="bob"] button').count()).toBe(0);
    await mine.getByRole('button', { name: /^Edit comment/ }).click();
    await mine.getByLabel('Edit comment').fill('Looks great to ship.');
    await mine.getByRole('button', { name: 'Save' }).click();
    await eventually(() => mine.locator('.comment-body').innerText()).toBe('Looks great to ship.');
    expect(await mine.innerText()).toContain('(edited)');
    await screenshot(page, 'model-version');
    await mine.getByRole('button', { name: /^Delete comment/ }).click();
    await eventually(() => mine.count()).toBe(0);
    expect(await page.locator('.comment').count()).toBe(1);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('review flow', { timeout: 90_000 }, () => {
  it('edits the policy, requests a transition, approves it as another user, rejects an alias change and logs it all', async () => {
    const { page, errors } = await h.open(`/models/${h.seeded.modelName}`);
    await eventually(() => page.locator('h1').innerText()).toBe('resnet-classifier');
    await actAs(page, 'alice');

    // Policy: Production needs one approval; @champion needs one too.
    const policy = page.getByRole('form', { name: 'Review policy' });
    await policy.getByRole('button', { name: 'Add rule' }).click();
    await policy.getByRole('button', { name: 'Add rule' }).click();
    await policy.getByLabel('Rule 2 kind').selectOption('alias');
    await policy.getByLabel('Rule 2 target').fill('champion');
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await eventually(
      async () => (await trove(h.server).ok('GET', '/registered-models/resnet-classifier/review-policy')).policy.rules,
    ).toEqual([
      { kind: 'alias', target: 'champion', required_approvals: 1 },
      { kind: 'stage', target: 'Production', required_approvals: 1 },
    ]);

    // alice asks to move v3 to Production.
    const form = page.getByRole('form', { name: 'Request a change' });
    await form.getByLabel('Version', { exact: true }).selectOption('3');
    await form.getByLabel('Stage', { exact: true }).selectOption('Production');
    await form.getByLabel('Request comment').fill('Beats v2 on the holdout set.');
    await form.getByRole('button', { name: 'Request review' }).click();
    const requests = page.getByRole('list', { name: 'Review requests' }).locator('.request');
    await eventually(() => requests.count()).toBe(1);
    expect(await requests.first().innerText()).toMatch(
      /v3 → Production[\s\S]*pending[\s\S]*requested by alice[\s\S]*0\/1 approvals[\s\S]*Beats v2 on the holdout set/,
    );
    // The requester may only withdraw it.
    expect(await requests.first().getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await requests.first().getByRole('button', { name: 'Cancel request' }).count()).toBe(1);
    await screenshot(page, 'model-review');

    // bob approves; the transition is applied.
    await actAs(page, 'bob');
    await requests.first().getByLabel('Decision comment').fill('Checked the eval, lgtm.');
    await requests.first().getByRole('button', { name: 'Approve' }).click();
    await eventually(() => requests.count()).toBe(0);
    const v3 = page.locator('table[aria-label="Model versions"] tbody tr[data-version="3"]');
    await eventually(() => v3.locator('td').nth(1).innerText()).toBe('Production');
    await page.getByLabel('Show requests').selectOption('approved');
    await eventually(() => requests.count()).toBe(1);
    expect(await requests.first().innerText()).toMatch(/bob approved: “Checked the eval, lgtm\.”/);

    // bob asks for @champion on v3; alice rejects it with a reason.
    await form.getByLabel('Version', { exact: true }).selectOption('3');
    await form.getByLabel('Change').selectOption('alias');
    await form.getByLabel('Alias').fill('champion');
    await form.getByLabel('Request comment').fill('Promote v3.');
    await form.getByRole('button', { name: 'Request review' }).click();
    await page.getByLabel('Show requests').selectOption('pending');
    await eventually(() => requests.count()).toBe(1);
    expect(await requests.first().innerText()).toContain('@champion → v3');
    await actAs(page, 'alice');
    await requests.first().getByLabel('Decision comment').fill('Wait for the A/B test.');
    await requests.first().getByRole('button', { name: 'Reject' }).click();
    await eventually(() => requests.count()).toBe(0);
    expect(await page.locator('[data-alias="champion"]').innerText()).toContain('v2');

    // Activity: newest first, every step above with its actor.
    const activity = page.getByRole('table', { name: 'Activity' }).locator('tbody tr');
    await eventually(async () => (await activity.first().innerText()).includes('rejected')).toBe(true);
    const rows = await activity.allInnerTexts();
    expect(rows[0]).toMatch(/alice\s+transition request rejected v3 \(@champion → v3\)/);
    expect(rows[1]).toMatch(/bob\s+transition request created v3/);
    expect(rows.some((r) => /bob\s+transition request approved v3 \(v3 → Production\)/.test(r))).toBe(true);
    expect(rows.some((r) => /alice\s+review policy updated/.test(r))).toBe(true);
    const ids = await activity.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-event-id'))));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('webhook administration', { timeout: 90_000 }, () => {
  it('creates, tests, edits, disables and deletes a webhook, with a delivery log and redelivery', async () => {
    const { page, errors } = await h.open('/');
    page.on('dialog', (d) => void d.accept());
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('Webhooks');
    await page.getByRole('button', { name: 'New webhook' }).click();
    const form = page.getByRole('form', { name: 'Create webhook' });
    await form.getByLabel('Name').fill('deploy-bot');
    await form.getByLabel('URL').fill(`${receiverUrl}/ok`);
    await form.getByLabel('Description').fill('Tells the deploy bot about new versions.');
    await form.getByLabel('model_version.created').check();
    await form.getByLabel('transition_request.created').check();
    await form.getByRole('button', { name: 'Create webhook' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('deploy-bot');
    expect(new URL(page.url()).pathname).toMatch(/^\/webhooks\/.+/);
    expect(await page.getByRole('table', { name: 'Webhook' }).innerText()).toMatch(
      /model_version\.created[\s\S]*transition_request\.created/,
    );

    // A test sends a sample event and shows the receiver's answer.
    await page.getByLabel('Test event').selectOption({ label: 'transition_request.created' });
    await page.getByRole('button', { name: 'Send test' }).click();
    const result = page.locator('.test-result');
    await eventually(() => result.getAttribute('data-success')).toBe('true');
    expect(await result.innerText()).toMatch(/Delivered · HTTP 200[\s\S]*ok-from-receiver/);

    // A real event is delivered and logged with its attempt.
    const api = mlflow(h.server);
    await api.ok('POST', '/model-versions/create', { name: 'churn-model', source: 's3://bucket/churn/2' });
    const deliveries = page.getByRole('list', { name: 'Deliveries' }).locator('.delivery');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await eventually(() => deliveries.first().getAttribute('data-status')).toBe('delivered');
    await deliveries.first().locator('summary').first().click();
    const attempt = deliveries.first().locator('tr[data-attempt="1"]');
    expect(await attempt.innerText()).toMatch(/ok\s+200\s+\d+ ms\s+ok-from-receiver/);

    // Edit: point it at a failing path; the next delivery fails after its attempts.
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Save webhook' });
    await edit.getByLabel('URL').fill(`${receiverUrl}/broken`);
    await edit.getByRole('button', { name: 'Save webhook' }).click();
    await eventually(() => page.getByRole('table', { name: 'Webhook' }).innerText()).toContain('/broken');
    await api.ok('POST', '/model-versions/create', { name: 'churn-model', source: 's3://bucket/churn/3' });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await eventually(() => deliveries.count()).toBe(2);
    const failed = deliveries.first();
    await eventually(() => failed.getAttribute('data-status')).toBe('failed');
    await failed.locator('summary').first().click();
    await eventually(() => failed.locator('tr[data-attempt]').count()).toBe(2);
    expect(await failed.locator('tr[data-attempt="2"]').innerText()).toMatch(/failed\s+500\s+\d+ ms\s+receiver-broke/);
    await screenshot(page, 'webhook');

    // Redeliver: a fresh budget of attempts for the same delivery.
    await failed.getByRole('button', { name: /^Redeliver/ }).click();
    await eventually(() => failed.locator('tr[data-attempt]').count()).toBe(4);
    await eventually(() => failed.getAttribute('data-status')).toBe('failed');

    await page.getByRole('button', { name: 'Disable' }).click();
    await eventually(() => page.getByTestId('webhook-status').innerText()).toBe('DISABLED');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByRole('link', { name: 'Webhooks' }).first().click();
    const rows = page.locator('table[aria-label="Webhooks"] tbody tr');
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.innerText()).toMatch(/deploy-bot\s+DISABLED/);
    await screenshot(page, 'webhooks');
    await rows.getByRole('link', { name: 'deploy-bot' }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('Webhooks');
    await eventually(() => page.getByText('No webhooks yet.').count()).toBe(1);
    expect(received.filter((r) => r.startsWith('/broken')).length).toBe(4);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
