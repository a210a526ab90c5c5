import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { startSweepHarness, type UiHarness } from './support/harness.ts';
import type { SweepSeeded } from './support/sweep-seed.ts';

/**
 * The pages issue 13 reworked, at a desktop and a small-laptop width. With TROVE_UI_SCREENSHOTS=1
 * it writes docs/screenshots/<page>-<width>-<theme>.png in both themes; without, it checks each
 * page renders without errors and without sideways scrolling at both widths.
 */
const CAPTURE = !!process.env.TROVE_UI_SCREENSHOTS;
const WIDTHS = [1440, 1024] as const;
const THEMES = CAPTURE ? (['light', 'dark'] as const) : (['light'] as const);

let ui: UiHarness<SweepSeeded>;

beforeAll(async () => {
  ui = await startSweepHarness();
}, 180_000);
afterAll(async () => ui?.close());

function pages(s: SweepSeeded): { name: string; path: string; ready: string }[] {
  const compare = s.childRunIds[0]
    .slice(0, 5)
    .map((id) => `runs=${id}`)
    .join('&');
  return [
    { name: 'experiment', path: `/experiments/${s.experimentId}`, ready: 'table[aria-label="Runs"] tbody tr' },
    { name: 'run', path: `/experiments/${s.experimentId}/runs/${s.featuredRunId}`, ready: 'h1' },
    { name: 'compare', path: `/compare?${compare}&exp=${s.experimentId}`, ready: 'h1' },
    { name: 'model', path: `/models/${encodeURIComponent(s.modelName)}`, ready: 'h1' },
  ];
}

describe('screenshots of the main pages', { timeout: 600_000 }, () => {
  for (const width of WIDTHS)
    for (const theme of THEMES)
      it(`${width} px, ${theme}`, async () => {
        const context = await ui.browser.newContext({
          baseURL: ui.server.url,
          viewport: { width, height: 900 },
          colorScheme: theme,
        });
        await context.addInitScript((t) => localStorage.setItem('trove.theme', t), theme);
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const problems: Record<string, string> = {};
        for (const p of pages(ui.seeded)) {
          await page.goto(p.path);
          await page.locator(p.ready).first().waitFor();
          await page.waitForLoadState('networkidle');
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          if (scrollWidth > width) problems[p.name] = `scrollWidth ${scrollWidth}`;
          await screenshot(page, `${p.name}-${width}-${theme}`);
        }
        expect(problems).toEqual({});
        expect(errors).toEqual([]);
        await context.close();
      });
});
