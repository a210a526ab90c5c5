// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthUi, signIn, startAuthUi } from './support/auth.ts';
import { eventually, unlabelledControls } from './support/harness.ts';

let ui: AuthUi;

beforeAll(async () => {
  ui = await startAuthUi();
  // alice manages the workspace's models (a review policy needs MANAGE); bob and lena edit.
  for (const [name, role] of [
    ['alice', 'manager'],
    ['bob', 'editor'],
    ['lena', 'editor'],
  ]) {
    await ui.createUser(name, `${name}-pass-123`);
    await ui.asAdmin('PUT', '/api/trove/v1/members', { username: name, role });
  }
  await ui.asAdmin('POST', '/api/trove/v1/admin/groups', { name: 'ml-leads' });
  await ui.asAdmin('POST', '/api/trove/v1/admin/groups/ml-leads/members', { username: 'lena' });
  await ui.asAdmin('POST', '/api/2.0/mlflow/registered-models/create', { name: 'fraud' });
  await ui.asAdmin('POST', '/api/2.0/mlflow/model-versions/create', { name: 'fraud', source: 's3://bucket/fraud/1' });
}, 120_000);
afterAll(async () => {
  await ui?.close();
});

async function openModelAs(user: string): Promise<{ page: Page; errors: string[] }> {
  const opened = await ui.open('/login?next=/models/fraud');
  await signIn(opened.page, user, `${user}-pass-123`);
  await eventually(() => opened.page.locator('h1').innerText()).toBe('fraud');
  return opened;
}

const pending = (page: Page) => page.getByRole('list', { name: 'Review requests' }).locator('.request');

describe('reviews bound to the signed-in user', { timeout: 120_000 }, () => {
  it('has no "Acting as": the policy names approvers, others are refused clearly, an approver approves', async () => {
    const alice = await openModelAs('alice');
    expect(await alice.page.getByLabel('Acting as').count()).toBe(0);
    const policy = alice.page.getByRole('form', { name: 'Review policy' });
    await policy.getByRole('button', { name: 'Add rule' }).click();
    await policy.getByLabel('Rule 1 approver groups').fill('ml-leads, ');
    await policy.getByLabel('Rule 1 approver role').selectOption('editor');
    expect(await policy.getByLabel('Rule 1 approver groups').inputValue()).toBe('ml-leads, ');
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await eventually(
      async () => (await ui.asAdmin('GET', '/api/trove/v1/registered-models/fraud/review-policy')).policy.rules,
    ).toEqual([
      {
        kind: 'stage',
        target: 'Production',
        required_approvals: 1,
        approver_groups: ['ml-leads'],
        approver_role: 'editor',
      },
    ]);
    expect(await unlabelledControls(alice.page)).toEqual([]);

    // alice asks; she may only withdraw her own request.
    const form = alice.page.getByRole('form', { name: 'Request a change' });
    await form.getByLabel('Version', { exact: true }).selectOption('1');
    await form.getByLabel('Stage', { exact: true }).selectOption('Production');
    await form.getByRole('button', { name: 'Request review' }).click();
    await eventually(() => pending(alice.page).count()).toBe(1);
    expect(await pending(alice.page).first().innerText()).toMatch(/v1 → Production[\s\S]*requested by alice/);
    expect(await pending(alice.page).first().getByRole('button', { name: 'Approve' }).count()).toBe(0);

    // bob is no approver under the policy: the refusal says so in place, and nothing is recorded.
    const bob = await openModelAs('bob');
    await eventually(() => pending(bob.page).count()).toBe(1);
    await pending(bob.page).first().getByRole('button', { name: 'Approve' }).click();
    const denied = pending(bob.page).first().getByRole('alert');
    await eventually(() => denied.innerText()).toMatch(/^Access denied\./);
    expect(await denied.innerText()).toContain('You are signed in as bob.');
    expect(await pending(bob.page).first().innerText()).toContain('0/1 approvals');

    // lena (ml-leads) approves; the transition is applied and the log names her.
    const lena = await openModelAs('lena');
    await eventually(() => pending(lena.page).count()).toBe(1);
    await pending(lena.page).first().getByLabel('Decision comment').fill('Holdout numbers check out.');
    await pending(lena.page).first().getByRole('button', { name: 'Approve' }).click();
    await eventually(() => pending(lena.page).count()).toBe(0);
    const v1 = lena.page.locator('table[aria-label="Model versions"] tbody tr[data-version="1"]');
    await eventually(() => v1.locator('td').nth(1).innerText()).toBe('Production');
    const decided = await ui.asAdmin('GET', '/api/trove/v1/registered-models/fraud/requests?status=approved');
    expect(decided.requests[0]).toMatchObject({ requester: 'alice', status: 'approved' });
    expect(decided.requests[0].approvals.map((v: { user: string }) => v.user)).toEqual(['lena']);
    for (const { page, errors } of [alice, bob, lena]) {
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });
});
