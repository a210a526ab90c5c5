// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { ensureUiBuilt } from './support/build.ts';
import { contrastOf, setTheme } from './support/contrast.ts';
import { eventually, unlabelledControls } from './support/harness.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer();
  const root = mlflow(server);
  const vision = await root.createExperiment('vision-resnet');
  await root.createExperiment('audio-wavenet');
  await root.createRun(vision, { run_name: 'needle-run-1' });
  await root.ok('POST', '/registered-models/create', { name: 'needle-model' });
  await root.createExperiment('needle-experiment');
  await server.call('POST', '/api/trove/v1/workspaces', { name: 'team-b' });
  const teamB = mlflow(server, 'team-b');
  await teamB.createExperiment('team-b-only');
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const open = (path: string) => openPage(browser, server.url, path);

const experimentNames = (page: Page) =>
  page.locator('table[aria-label="Experiments"] tbody tr td:first-child').allInnerTexts();

describe('workspaces and projects', { timeout: 90_000 }, () => {
  it('switches workspace and shows that workspace’s experiments, with the workspace in the URL', async () => {
    const { page, errors } = await open('/experiments');
    await eventually(() => experimentNames(page)).toContain('vision-resnet');
    const switcher = page.getByLabel('Workspace', { exact: true });
    await eventually(() => switcher.locator('option').allInnerTexts()).toEqual(['default', 'team-b']);
    await switcher.selectOption('team-b');
    await eventually(() => new URL(page.url()).pathname).toBe('/workspaces/team-b/experiments');
    await eventually(() => experimentNames(page)).toEqual(['Default', 'team-b-only']);
    // Links inside the workspace keep its prefix, and a reload lands in the same place.
    await page.getByRole('link', { name: 'team-b-only' }).click();
    await eventually(() => new URL(page.url()).pathname).toMatch(/^\/workspaces\/team-b\/experiments\/\d+$/);
    await eventually(() => page.locator('h1').innerText()).toBe('team-b-only');
    await page.reload();
    await eventually(() => page.locator('h1').innerText()).toBe('team-b-only');
    await page.goBack();
    await eventually(() => experimentNames(page)).toEqual(['Default', 'team-b-only']);
    await page.getByLabel('Workspace', { exact: true }).selectOption('default');
    await eventually(() => new URL(page.url()).pathname).toBe('/experiments');
    await eventually(() => experimentNames(page)).toContain('vision-resnet');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('creates a project, assigns an experiment and filters the experiments list by it', async () => {
    const { page, errors } = await open('/projects');
    await page.getByLabel('New project name').fill('Computer vision');
    await page.getByRole('button', { name: 'Create project' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('Computer vision');
    const projectPath = new URL(page.url()).pathname;
    expect(projectPath).toMatch(/^\/projects\/\d+$/);
    const projectId = projectPath.split('/')[2];

    await eventually(() => page.getByLabel('Add an experiment').locator('option').allInnerTexts()).toContain(
      'vision-resnet',
    );
    // The picker narrows by name on the server (so experiments past its first page can be found).
    await page.getByLabel('Find experiments by name').fill('RESNET');
    await eventually(() => page.getByLabel('Add an experiment').locator('option').allInnerTexts()).toEqual([
      'Choose…',
      'vision-resnet',
    ]);
    await page.getByLabel('Add an experiment').selectOption({ label: 'vision-resnet' });
    await page.getByRole('button', { name: 'Add to project' }).first().click();
    await eventually(() => page.locator('table[aria-label="Project experiments"] tbody tr').allInnerTexts()).toEqual([
      expect.stringContaining('vision-resnet'),
    ]);
    await page.getByLabel('Add a registered model').selectOption('needle-model');
    await page.getByRole('button', { name: 'Add to project' }).nth(1).click();
    await eventually(() => page.getByRole('list', { name: 'Project models' }).innerText()).toContain('needle-model');
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'project');

    await page.getByRole('link', { name: 'Show in experiments list' }).click();
    await eventually(() => experimentNames(page)).toEqual(['vision-resnet']);
    expect(new URL(page.url()).searchParams.get('project')).toBe(projectId);
    await page.getByLabel('Project', { exact: true }).selectOption('');
    await eventually(() => experimentNames(page)).toContain('audio-wavenet');
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Computer vision' });
    await eventually(() => experimentNames(page)).toEqual(['vision-resnet']);

    await page.getByRole('link', { name: 'Projects' }).click();
    const rows = page.locator('table[aria-label="Projects"] tbody tr');
    await eventually(() => rows.allInnerTexts()).toEqual([expect.stringMatching(/Computer vision\s+1\s+1/)]);
    await screenshot(page, 'projects');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('global search: "/" focuses it, it finds an experiment, a model and a run, and the keyboard opens one', async () => {
    const { page, errors } = await open('/experiments');
    await eventually(() => experimentNames(page)).toContain('vision-resnet');
    await page.locator('body').press('/');
    const box = page.getByRole('combobox', { name: 'Search experiments, models and runs' });
    await eventually(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('needle');
    const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
    await eventually(() => options.allInnerTexts()).toEqual([
      expect.stringMatching(/Experiment\s+needle-experiment/),
      expect.stringMatching(/Model\s+needle-model/),
      expect.stringMatching(/Run\s+needle-run-1 in vision-resnet/),
    ]);
    await expect.poll(() => options.nth(0).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => options.nth(1).getAttribute('aria-selected')).toBe('true');
    await screenshot(page, 'global-search');
    await page.keyboard.press('Enter');
    await eventually(() => new URL(page.url()).pathname).toBe('/models/needle-model');

    await page.locator('body').press('/');
    await page.keyboard.type('needle-exp');
    await eventually(() => options.allInnerTexts()).toEqual([expect.stringMatching(/Experiment\s+needle-experiment/)]);
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('h1').innerText()).toBe('needle-experiment');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps the new header elements readable in both themes', async () => {
    const { page } = await open('/experiments');
    await page.locator('body').press('/');
    await page.keyboard.type('needle');
    await page.getByRole('listbox', { name: 'Search results' }).getByRole('option').first().waitFor();
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      const pairs = await contrastOf(
        page,
        '.workspace-switcher label, .workspace-switcher select, .global-search input, .search-results [role="option"], .search-kind, .topbar nav a',
      );
      expect(pairs.length).toBeGreaterThan(6);
      for (const p of pairs) expect(p.ratio, `${theme}: ${p.what}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.context().close();
  });
});
