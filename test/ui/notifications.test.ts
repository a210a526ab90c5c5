// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, trove } from '../support/server.ts';
import { eventually, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';

let h: UiHarness;
beforeAll(async () => {
  h = await startUiHarness();
}, 300_000);
afterAll(async () => h?.close());

async function actAs(page: Page, user: string) {
  const field = page.getByLabel('Acting as');
  await field.fill(user);
  await field.press('Enter');
  await eventually(() => page.evaluate(() => localStorage.getItem('trove.user'))).toBe(user);
}

describe('notifications', { timeout: 180_000 }, () => {
  it('watch a model; another user requests a review; the bell counts it, the inbox lists it, clicking opens the request', async () => {
    const api = mlflow(h.server);
    const t = trove(h.server);
    const runId = await api.createRun('0');
    await api.ok('POST', '/registered-models/create', { name: 'watch-ui' });
    await api.ok('POST', '/model-versions/create', { name: 'watch-ui', source: `runs:/${runId}/model`, run_id: runId });
    await t.ok(
      'PUT',
      '/registered-models/watch-ui/review-policy',
      { rules: [{ kind: 'stage', target: 'Production', required_approvals: 1 }] },
      'admin',
    );

    const { page, errors } = await h.open('/models/watch-ui');
    await eventually(() => page.locator('h1').innerText()).toBe('watch-ui');
    await actAs(page, 'wendy');
    const watch = page.getByRole('button', { name: '☆ Watch' });
    await watch.click();
    await eventually(() => page.getByRole('button', { name: '★ Watching' }).getAttribute('aria-pressed')).toBe('true');
    expect((await t.ok('GET', '/watches/status?name=watch-ui', undefined, 'wendy')).watching).toBe(true);
    expect(await page.getByRole('link', { name: 'Notifications', exact: true }).count()).toBe(1);
    expect(await unlabelledControls(page)).toEqual([]);

    // Another user, through the API: the page learns of it on its live stream, with no reload.
    const id = (
      await t.ok(
        'POST',
        '/registered-models/watch-ui/versions/1/requests',
        { stage: 'Production', comment: 'go' },
        'rex',
      )
    ).request.request_id;
    await eventually(() => page.getByTestId('unread-count').innerText()).toBe('1');
    await page.getByRole('link', { name: 'Notifications: 1 unread' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('Notifications');
    const item = page.getByRole('link', { name: 'rex requests review: watch-ui v1 to stage Production' });
    await eventually(() => item.count()).toBe(1);
    await item.click();
    await eventually(() => new URL(page.url()).pathname).toBe('/models/watch-ui');
    expect(new URL(page.url()).hash).toBe(`#request-${id}`);
    await eventually(() => page.locator(`#request-${id}`).isVisible()).toBe(true);
    // Opening it marked it read.
    await eventually(() => page.getByTestId('unread-count').count()).toBe(0);
    expect((await t.ok('GET', '/notifications/unread-count', undefined, 'wendy')).unread).toBe(0);
    expect(errors).toEqual([]);
  });

  it('the settings page shows the event × channel matrix and says email is off without SMTP', async () => {
    const { page, errors } = await h.open('/notifications/settings');
    await actAs(page, 'sam');
    await eventually(() => page.locator('h1').innerText()).toBe('Notification settings');
    const box = page.getByLabel('A comment on something I watch: email');
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await eventually(async () => {
      const prefs = (await trove(h.server).ok('GET', '/me/notification-preferences', undefined, 'sam')).preferences;
      return prefs.find((p: { kind: string; channel: string }) => p.kind === 'comment' && p.channel === 'email')
        .enabled;
    }).toBe(true);
    expect(await page.getByText('Email is off on this server').count()).toBe(1);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
