import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTrace, spanHex } from '../support/traces.ts';
import { contrastFailures, tabOrder, unnamedControls } from './support/a11y.ts';
import { newPage } from './support/browser.ts';
import { eventually, startUiHarness, type UiHarness } from './support/harness.ts';

let h: UiHarness;
let traceId = '';
beforeAll(async () => {
  h = await startUiHarness();
  traceId = await seedTrace(h.server, {
    experimentId: h.seeded.experimentId,
    name: 'answer',
    timestampMs: Date.now() - 60_000,
    durationMs: 300,
    state: 'ERROR',
    request: '{"q": "refund?"}',
    response: '"30 days"',
    tags: { env: 'prod' },
    spans: [
      { id: 'root', name: 'answer', type: 'CHAIN', startMs: 0, endMs: 300, inputs: { q: 'refund?' } },
      {
        id: 'llm',
        parent: 'root',
        name: 'chat',
        type: 'CHAT_MODEL',
        startMs: 20,
        endMs: 280,
        status: 'ERROR',
        statusMessage: 'RateLimitError: slow down',
        inputs: { messages: [{ role: 'user', content: 'refund?' }] },
        outputs: { choices: [{ message: { role: 'assistant', content: '30 days' } }] },
      },
    ],
  });
}, 120_000);
afterAll(async () => h?.close());

interface MainPage {
  name: string;
  path: () => string;
  /** Rendered once the page has its data. */
  ready: (page: Page) => Promise<unknown>;
  /** Accessible names Tab must reach, from the top of the page. */
  reach: RegExp[];
}

const PAGES: MainPage[] = [
  {
    name: 'experiments list',
    path: () => '/experiments',
    ready: (page) => eventually(() => page.locator('table[aria-label="Experiments"] tbody tr').count()).toBe(4),
    reach: [
      /^Search experiments by name$/,
      /^Filter by tag/,
      /^Select image-classifier to compare$/,
      /^image-classifier$/,
      /^Rename image-classifier$/,
    ],
  },
  {
    name: 'experiment runs table',
    path: () => `/experiments/${h.seeded.experimentId}`,
    ready: (page) =>
      eventually(() => page.locator('table[aria-label="Runs"] tbody tr[data-run-id]').count()).toBeGreaterThan(10),
    reach: [/^Filter runs/, /^Run name contains$/, /^Status$/],
  },
  {
    name: 'run page',
    path: () => `/experiments/${h.seeded.experimentId}/runs/${h.seeded.baselineRunId}`,
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator.innerText(), not the DOM property
    ready: (page) => eventually(() => page.locator('h1').innerText()).toBe('baseline-resnet'),
    reach: [/^Overview$/, /^Edit description$/, /^finetune-child$/],
  },
  {
    name: 'run page, tags tab',
    path: () => `/experiments/${h.seeded.experimentId}/runs/${h.seeded.baselineRunId}?tab=tags`,
    ready: (page) => eventually(() => page.locator('table[aria-label="Tags"] tr[data-tag="team"]').count()).toBe(1),
    reach: [/^Tags$/, /^Edit tag team$/, /^Tag key$/, /^Tag value$/],
  },
  {
    name: 'compare page (20 runs, columns in view only)',
    path: () =>
      `/compare?${h.seeded.sweepRunIds
        .slice(0, 20)
        .map((id) => `runs=${id}`)
        .join('&')}&exp=${h.seeded.experimentId}`,
    ready: (page) =>
      eventually(() => page.locator('table[aria-label="Run comparison"] tr[data-key="lr"]').count()).toBe(1),
    reach: [/^Show only differences$/, /^Baseline run$/, /^Run comparison, 20 runs side by side/, /^sweep-000$/],
  },
  {
    name: 'model page (editing, version selection)',
    path: () => `/models/${h.seeded.modelName}`,
    ready: (page) => eventually(() => page.locator('table[aria-label="Model versions"] tbody tr').count()).toBe(3),
    reach: [/^Register a version$/, /^Edit description$/, /^Select version 1 to compare$/, /^Version 1$/],
  },
  {
    name: 'model version page (stage, aliases, tags)',
    path: () => `/models/${h.seeded.modelName}/versions/3`,
    ready: (page) => eventually(() => page.getByRole('form', { name: 'Remove @challenger' }).count()).toBe(1),
    reach: [/^Add description$/, /^New stage$/, /^Change stage$/, /^Alias$/, /^Remove @challenger$/],
  },
  {
    name: 'model version compare',
    path: () => `/models/${h.seeded.modelName}/compare?v=1&v=2&v=3`,
    ready: (page) =>
      eventually(() => page.locator('table[aria-label="Version comparison"] tr[data-key="stage"]').count()).toBe(1),
    reach: [/^resnet-classifier$/, /^v1$/, /^v3$/],
  },
  {
    name: 'experiment traces tab',
    path: () => `/experiments/${h.seeded.experimentId}/traces`,
    ready: (page) =>
      eventually(() => page.locator('table[aria-label="Traces"] tbody tr[data-trace-id]').count()).toBe(1),
    reach: [/^Runs$/, /^Filter traces/, /^Time range$/, /^answer$/],
  },
  {
    name: 'trace page (span tree, error span, conversation, assessments)',
    path: () => `/traces/${traceId}?span=${spanHex('llm')}`,
    ready: (page) => eventually(() => page.locator('[role="treeitem"]').count()).toBe(2),
    reach: [/^Traces$/, /^Spans$/, /^Conversation$/, /^Assessment name$/, /^Value$/],
  },
  {
    name: 'models list',
    path: () => '/models',
    ready: (page) => eventually(() => page.locator('table[aria-label="Registered models"] tbody tr').count()).toBe(2),
    reach: [/^Search models by name$/, /^New model$/, /^resnet-classifier$/],
  },
];

for (const theme of ['light', 'dark'] as const) {
  describe(`accessibility, ${theme} theme`, { timeout: 120_000 }, () => {
    for (const p of PAGES) {
      it(`${p.name}: named controls, text contrast ≥ 4.5:1, Tab reaches the main controls`, async () => {
        const { page, errors } = await newPage(h.browser, h.server.url);
        await page.addInitScript(
          `localStorage.setItem('trove.theme', ${JSON.stringify(theme)}); localStorage.setItem('trove.user', 'a11y');`,
        );
        await page.goto(p.path());
        await p.ready(page);
        expect(await page.evaluate('document.documentElement.dataset.theme')).toBe(theme);
        // Let lazy parts (child runs, experiment names) settle before reading the page.
        await page.waitForTimeout(300);

        expect(await unnamedControls(page)).toEqual([]);
        expect(await contrastFailures(page)).toEqual([]);
        const order = await tabOrder(page);
        for (const name of p.reach)
          expect(
            order.some((n) => name.test(n)),
            `Tab reaches ${name} (reached: ${order.join(' | ')})`,
          ).toBe(true);
        expect(errors).toEqual([]);
        await page.context().close();
      });
    }
  });
}

describe('accessibility checks', { timeout: 60_000 }, () => {
  it('catch planted failures: an unnamed button, grey on grey, faded text, unreachable controls', async () => {
    const { page } = await h.open('/models');
    await PAGES[PAGES.length - 1].ready(page);
    await page.evaluate(`(() => {
      const box = document.createElement('div');
      box.innerHTML = '<button id="planted-unnamed"></button>'
        + '<p id="planted-grey" style="color:#888;background:#999">grey on grey</p>'
        + '<div style="background:#000"><span style="color:rgba(255,255,255,0.3)">faded</span></div>'
        + '<div style="opacity:0.3"><span>whole block faded</span></div>'
        + '<button tabindex="-1" aria-label="Not in tab order">x</button>';
      document.querySelector('main').prepend(box);
    })()`);
    expect(await unnamedControls(page)).toEqual([expect.stringContaining('planted-unnamed')]);
    const texts = (await contrastFailures(page)).map((f) => f.text);
    expect(texts).toEqual(expect.arrayContaining(['grey on grey', 'faded', 'whole block faded']));
    expect(await tabOrder(page, 30)).not.toContain('Not in tab order');
    await page.context().close();
  });
});
