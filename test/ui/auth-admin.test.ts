// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type AuthUi, basic, signIn, startAuthUi } from './support/auth.ts';
import { screenshot } from './support/browser.ts';
import { eventually, unlabelledControls } from './support/harness.ts';

let ui: AuthUi;

beforeAll(async () => {
  ui = await startAuthUi();
  await ui.createUser('temp', 'temp-pass-12');
  // More audit entries than one page of the audit page holds (50).
  for (let i = 0; i < 60; i += 10)
    await Promise.all(
      Array.from({ length: 10 }, (_, j) =>
        ui.asAdmin('POST', '/api/2.0/mlflow/experiments/create', { name: `bulk-${i + j}` }),
      ),
    );
}, 120_000);
afterAll(async () => {
  await ui?.close();
});

const rowOf = (page: Page, table: string, attr: string, value: string) =>
  page.locator(`table[aria-label="${table}"] tbody tr[${attr}="${value}"]`);

describe('administration (server admins)', { timeout: 120_000 }, () => {
  it('creates a user and a group, gives the group a role, grants the user, and the audit page lists it all', async () => {
    const { page, errors } = await ui.open('/login');
    page.on('dialog', (d) => void d.accept());
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await eventually(() => new URL(page.url()).pathname).toBe('/admin/users');
    await eventually(() => rowOf(page, 'Users', 'data-username', 'admin').count()).toBe(1);

    // Users: a person with a password, a service account, a password reset, admin on and off, a deletion.
    const createUser = page.getByRole('form', { name: 'Create a user' });
    await createUser.getByLabel('New username').fill('erin');
    await createUser.getByLabel('Password').fill('erin-pass-123');
    await createUser.getByRole('button', { name: 'Create user' }).click();
    const erin = rowOf(page, 'Users', 'data-username', 'erin');
    await eventually(() => erin.count()).toBe(1);
    await createUser.getByLabel('New username').fill('ci-bot');
    await createUser.getByLabel('Service account (tokens only)').check();
    expect(await createUser.getByLabel('Password').isDisabled()).toBe(true);
    await createUser.getByRole('button', { name: 'Create user' }).click();
    await eventually(() => rowOf(page, 'Users', 'data-username', 'ci-bot').locator('td').nth(1).innerText()).toBe(
      'service account',
    );
    await erin.getByRole('button', { name: 'Make admin' }).click();
    await eventually(() => erin.locator('td').nth(2).innerText()).toBe('yes');
    await erin.getByRole('button', { name: 'Remove admin' }).click();
    await eventually(() => erin.locator('td').nth(2).innerText()).toBe('no');
    await erin.getByRole('button', { name: 'Set password' }).click();
    await erin.getByLabel('New password for erin').fill('erin-pass-456');
    await erin.getByRole('button', { name: 'Save' }).click();
    await eventually(() => erin.getByLabel('New password for erin').count()).toBe(0);
    const erinNow = basic({ username: 'erin', password: 'erin-pass-456' });
    expect((await ui.server.call('GET', '/api/trove/v1/auth/me', undefined, erinNow)).body.user.username).toBe('erin');
    await rowOf(page, 'Users', 'data-username', 'temp').getByRole('button', { name: 'Delete user temp' }).click();
    await eventually(() => rowOf(page, 'Users', 'data-username', 'temp').count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'admin-users');

    // Groups: create, add erin, and a second group created then deleted.
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Groups' }).click();
    const createGroup = page.getByRole('form', { name: 'Create a group' });
    await createGroup.getByLabel('New group name').fill('vision');
    await createGroup.getByLabel('Description (optional)').fill('Image models');
    await createGroup.getByRole('button', { name: 'Create group' }).click();
    const vision = rowOf(page, 'Groups', 'data-group', 'vision');
    await eventually(() => vision.count()).toBe(1);
    await vision.getByLabel('Add a member to vision').selectOption('erin');
    await vision.getByRole('button', { name: 'Add', exact: true }).click();
    await eventually(() => vision.locator('.member-chip').allInnerTexts()).toEqual(['erin×']);
    await createGroup.getByLabel('New group name').fill('short-lived');
    await createGroup.getByRole('button', { name: 'Create group' }).click();
    await rowOf(page, 'Groups', 'data-group', 'short-lived')
      .getByRole('button', { name: /^Delete group/ })
      .click();
    await eventually(() => rowOf(page, 'Groups', 'data-group', 'short-lived').count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);

    // Workspace access: the group gets a role; erin gets EDIT on the Default experiment.
    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: 'Workspace access' })
      .click();
    const addMember = page.getByRole('form', { name: 'Give a role in this workspace' });
    await addMember.getByLabel('For a').selectOption('group');
    await addMember.getByLabel('Group', { exact: true }).selectOption('vision');
    await addMember.getByLabel('Role').selectOption('editor');
    await addMember.getByRole('button', { name: 'Set role' }).click();
    const member = rowOf(page, 'Workspace members', 'data-member', 'group:vision');
    await eventually(() => member.getByLabel('Role of group vision').inputValue()).toBe('editor');
    await member.getByLabel('Role of group vision').selectOption('viewer');
    await eventually(async () => (await ui.asAdmin('GET', '/api/trove/v1/members')).members).toEqual([
      { kind: 'group', name: 'vision', role: 'viewer' },
    ]);
    const grant = page.getByRole('form', { name: 'Grant a permission' });
    await grant.getByLabel('User', { exact: true }).selectOption('erin');
    await grant.getByLabel('Experiment id').fill('0');
    await grant.getByLabel('Permission').selectOption('EDIT');
    await grant.getByRole('button', { name: 'Grant' }).click();
    await eventually(() => grant.getByRole('status').innerText()).toBe('Granted EDIT on experiment 0 for user erin.');
    const erinsGrants = await ui.asAdmin('GET', '/api/2.0/mlflow/users/get?username=erin');
    expect(erinsGrants.user.experiment_permissions).toContainEqual(
      expect.objectContaining({ experiment_id: '0', permission: 'EDIT' }),
    );
    expect(await unlabelledControls(page)).toEqual([]);

    // A token made and revoked (through the API, as the admin) shows up in the log as well.
    const token = await ui.asAdmin('POST', '/api/trove/v1/auth/tokens', { name: 'audit-me' });
    await ui.asAdmin('DELETE', `/api/trove/v1/auth/tokens/${token.token_info.id}`);

    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Audit log' }).click();
    const rows = page.locator('table[aria-label="Audit log"] tbody tr');
    await eventually(() => rows.count()).toBe(50);
    const actions = async () => (await rows.locator('td:nth-child(3)').allInnerTexts()).slice(0, 20);
    // Newest first.
    expect((await actions()).slice(0, 2)).toEqual([
      'trove-server DELETE /auth/tokens/:token_id',
      'trove-server POST /auth/tokens',
    ]);
    expect(await actions()).toEqual(
      expect.arrayContaining([
        'trove PUT /grants',
        'trove PUT /members',
        'trove-server POST /admin/groups/:name/members',
        'trove-server POST /admin/groups',
        'trove-server DELETE /admin/users/:username',
        'trove-server PATCH /admin/users/:username',
      ]),
    );
    // Which user, group or token: the route's path parameters when the access names no resource.
    const resourceOf = (action: string) =>
      rows
        .filter({ has: page.locator('td:nth-child(3)', { hasText: action }) })
        .first()
        .locator('td')
        .nth(3)
        .innerText();
    expect(await resourceOf('trove-server DELETE /admin/users/:username')).toBe('admin temp');
    expect(await resourceOf('trove-server DELETE /auth/tokens/:token_id')).toBe(`user ${token.token_info.id}`);
    expect(await resourceOf('trove-server POST /admin/groups/:name/members')).toBe('admin vision');
    await screenshot(page, 'admin-audit');
    await page.getByRole('button', { name: 'Load more' }).click();
    await eventually(() => rows.count()).toBeGreaterThan(50);
    const all = await rows.locator('td:nth-child(3)').allInnerTexts();
    expect(all).toContain('trove-server POST /auth/login');
    expect(all.at(-1)).toBe('trove-server POST /admin/users'); // the first thing done: creating "temp"
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    // Filters go to the server (and into the URL).
    await page.getByLabel('Action', { exact: true }).fill('trove-server POST /admin/users');
    await eventually(() => rows.locator('td:nth-child(3)').allInnerTexts()).toEqual([
      'trove-server POST /admin/users',
      'trove-server POST /admin/users',
      'trove-server POST /admin/users',
    ]);
    expect(new URL(page.url()).searchParams.get('action')).toBe('trove-server POST /admin/users');
    // The resource is the route's access kind; what was created is in the recorded input (passwords left out).
    expect(await rows.locator('td:nth-child(4)').allInnerTexts()).toEqual(['admin', 'admin', 'admin']);
    const inputs = await rows.locator('pre').allTextContents();
    expect(inputs.map((t) => JSON.parse(t).username)).toEqual(['ci-bot', 'erin', 'temp']);
    expect(inputs[1]).toContain('[redacted]');
    expect(inputs[1]).not.toContain('erin-pass-123');
    await page.getByLabel('Action', { exact: true }).fill('trove-server POST /auth/login');
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.first().locator('td').nth(1).innerText()).toBe('admin');
    expect(await rows.first().locator('td').nth(3).innerText()).toBe('user admin');

    // The export link: JSON lines with the page's filters.
    const href = await page.getByRole('link', { name: 'Export JSON lines' }).getAttribute('href');
    expect(href).toContain('format=jsonl');
    const lines = await page.evaluate(
      async (url) => (await (await fetch(url as string)).text()).trim().split('\n'),
      href,
    );
    expect(lines.map((l) => JSON.parse(l).action)).toEqual(['trove-server POST /auth/login']);
    await page.getByLabel('Action', { exact: true }).fill('');
    await page.getByLabel('Actor', { exact: true }).fill('nobody');
    await eventually(() => page.getByText('No audit entries match.').count()).toBe(1);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
