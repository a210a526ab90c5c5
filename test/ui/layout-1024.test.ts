import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startSweepHarness, type UiHarness } from './support/harness.ts';
import type { SweepSeeded } from './support/sweep-seed.ts';

let ui: UiHarness<SweepSeeded>;

beforeAll(async () => {
  ui = await startSweepHarness();
}, 180_000);
afterAll(async () => ui?.close());

/** Elements wider than the viewport's right edge, for a readable failure. */
const overflowing = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && getComputedStyle(el).position !== 'fixed')
      .filter((el) => !el.closest('.runs-scroll, .table-scroll'))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} → ${Math.round(el.getBoundingClientRect().right)}`);
  });

describe('every page at 1024 px wide', { timeout: 240_000 }, () => {
  it('has no horizontal page scroll on the main pages', async () => {
    const { experimentId, featuredRunId, childRunIds, modelName } = ui.seeded;
    const compare = childRunIds[0]
      .slice(0, 5)
      .map((id) => `runs=${id}`)
      .join('&');
    const pages: [string, string][] = [
      ['/experiments', 'table[aria-label="Experiments"]'],
      [`/experiments/${experimentId}`, 'table[aria-label="Runs"] tbody tr'],
      [`/experiments/${experimentId}/runs/${featuredRunId}`, 'h1'],
      [`/compare?${compare}&exp=${experimentId}`, 'h1'],
      ['/models', 'h1'],
      [`/models/${modelName}`, 'h1'],
      [`/models/${modelName}/versions/1`, 'h1'],
      ['/webhooks', 'h1'],
      [`/tags?exp=${experimentId}`, 'h1'],
      ['/projects', 'h1'],
    ];
    const { page, errors } = await ui.open('/experiments');
    await page.setViewportSize({ width: 1024, height: 768 });
    const report: Record<string, string[]> = {};
    for (const [path, ready] of pages) {
      await page.goto(path);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scroll > 1024) report[path] = [`scrollWidth ${scroll}`, ...(await overflowing(page))];
    }
    expect(report).toEqual({});
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('folds the top bar into a menu button that Escape closes', async () => {
    const { page, errors } = await ui.open('/experiments');
    await page.setViewportSize({ width: 1024, height: 768 });
    const menu = page.getByRole('button', { name: 'Menu' });
    const models = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' });
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');
    await eventually(() => models.isVisible()).toBe(false);
    await expect(page.getByRole('combobox', { name: /Search experiments/ }).isVisible()).resolves.toBe(true);

    await menu.click();
    await eventually(() => menu.getAttribute('aria-expanded')).toBe('true');
    await eventually(() => models.isVisible()).toBe(true);
    await expect(page.getByLabel('Workspace', { exact: true }).isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.keyboard.press('Escape');
    await eventually(() => menu.getAttribute('aria-expanded')).toBe('false');
    await eventually(() => models.isVisible()).toBe(false);
    await eventually(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Menu');

    // Following a link closes the menu on the new page.
    await menu.click();
    await models.click();
    await eventually(() => new URL(page.url()).pathname).toBe('/models');
    await eventually(() => menu.getAttribute('aria-expanded')).toBe('false');

    // Wide windows show the navigation inline and no menu button.
    await page.setViewportSize({ width: 1440, height: 900 });
    await eventually(() => models.isVisible()).toBe(true);
    await eventually(() => menu.isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
