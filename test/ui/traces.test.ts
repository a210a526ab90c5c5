// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow } from '../support/server.ts';
import { manySpans, seedTrace, spanHex } from '../support/traces.ts';
import { screenshot } from './support/browser.ts';
import { eventually, startUiHarness, type UiHarness, unlabelledControls } from './support/harness.ts';

let h: UiHarness;
let exp: string;
let runId: string;
const ids: Record<string, string> = {};
const BIG_SPANS = 10_000;

beforeAll(async () => {
  h = await startUiHarness();
  const api = mlflow(h.server);
  exp = await api.createExperiment('genai-app');
  runId = await api.createRun(exp, { run_name: 'eval-run' });
  const now = Date.now();
  ids.chat = await seedTrace(h.server, {
    experimentId: exp,
    name: 'answer-question',
    timestampMs: now - 3 * 3_600_000,
    durationMs: 840,
    request: '{"question": "What is the refund policy?"}',
    response: '"Refunds within 30 days."',
    tags: { env: 'prod' },
    runId,
    tokens: { input_tokens: 21, output_tokens: 7, total_tokens: 28 },
    spans: [
      { id: 'root', name: 'answer-question', type: 'CHAIN', startMs: 0, endMs: 840, inputs: { question: 'refund?' } },
      {
        id: 'ret',
        parent: 'root',
        name: 'retrieve',
        type: 'RETRIEVER',
        startMs: 5,
        endMs: 120,
        outputs: [{ doc: 'policy.md' }],
      },
      {
        id: 'llm',
        parent: 'root',
        name: 'chat-completion',
        type: 'CHAT_MODEL',
        startMs: 130,
        endMs: 830,
        inputs: {
          messages: [
            { role: 'system', content: 'You answer from the policy.' },
            { role: 'user', content: 'What is the refund policy?' },
          ],
          model: 'gpt-4o-mini',
        },
        outputs: { choices: [{ message: { role: 'assistant', content: 'Refunds within 30 days.' } }] },
        attributes: { temperature: 0.1, nested: { deep: { deeper: { value: 'hidden-until-opened' } } } },
      },
    ],
  });
  ids.error = await seedTrace(h.server, {
    experimentId: exp,
    name: 'lookup-order',
    timestampMs: now - 10 * 60_000,
    durationMs: 50,
    state: 'ERROR',
    request: '{"order": 17}',
    spans: [
      { id: 'root', name: 'lookup-order', type: 'CHAIN', startMs: 0, endMs: 50, status: 'ERROR' },
      {
        id: 'tool',
        parent: 'root',
        name: 'orders-api',
        type: 'TOOL',
        startMs: 10,
        endMs: 45,
        status: 'ERROR',
        statusMessage: 'KeyError: order 17',
        events: [
          {
            name: 'exception',
            atMs: 44,
            attributes: {
              'exception.type': 'KeyError',
              'exception.message': 'order 17',
              'exception.stacktrace': 'Traceback (most recent call last):\n  File "tools.py", line 3',
            },
          },
        ],
      },
    ],
  });
  ids.big = await seedTrace(h.server, {
    experimentId: exp,
    name: 'batch-agent',
    timestampMs: now - 2 * 86_400_000,
    durationMs: BIG_SPANS,
    spans: manySpans(BIG_SPANS),
  });
}, 180_000);
afterAll(async () => h?.close());

const rowNames = (page: Page) =>
  page.locator('table[aria-label="Traces"] tbody tr[data-trace-id] td:first-child').allInnerTexts();
const treeItems = (page: Page) => page.locator('[role="tree"] [role="treeitem"]').count();

describe('experiment Traces tab', () => {
  it('lists traces with previews, state, tokens, tags, and links both ways with the runs tab', async () => {
    const { page, errors } = await h.open(`/experiments/${exp}`);
    await page.getByRole('link', { name: 'Traces', exact: true }).click();
    await eventually(() => rowNames(page)).toEqual(['lookup-order', 'answer-question', 'batch-agent']);
    const chatRow = page.locator(`tr[data-trace-id="${ids.chat}"]`);
    const text = await chatRow.innerText();
    expect(text).toContain('What is the refund policy?');
    expect(text).toContain('Refunds within 30 days.');
    expect(text).toContain('840ms');
    expect(text).toContain('28');
    expect(text).toContain('env: prod');
    expect(await page.locator(`tr[data-trace-id="${ids.error}"] .badge`).innerText()).toBe('ERROR');
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'traces-table');
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await eventually(() => page.locator('table[aria-label="Runs"]').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('filters with the trace grammar, shows a refused filter under the box, and narrows by time range', async () => {
    const { page, errors } = await h.open(`/experiments/${exp}/traces`);
    await eventually(() => rowNames(page)).toHaveLength(3);
    const box = page.getByLabel('Filter traces (MLflow trace syntax)');
    await box.fill("status = 'ERROR'");
    await box.press('Enter');
    await eventually(() => rowNames(page)).toEqual(['lookup-order']);
    expect(new URL(page.url()).searchParams.get('filter')).toBe("status = 'ERROR'");
    await box.fill("text ILIKE '%refund%'");
    await box.press('Enter');
    await eventually(() => rowNames(page)).toEqual(['answer-question']);
    await box.fill('status = ');
    await box.press('Enter');
    await eventually(() => page.locator('.filter-error').innerText()).toContain('INVALID_PARAMETER_VALUE');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    // The last good results stay on screen.
    expect(await rowNames(page)).toEqual(['answer-question']);
    await box.fill('');
    await box.press('Enter');
    await eventually(() => rowNames(page)).toHaveLength(3);
    await page.getByLabel('Time range').selectOption('1h');
    await eventually(() => rowNames(page)).toEqual(['lookup-order']);
    await page.getByLabel('Time range').selectOption('1d');
    await eventually(() => rowNames(page)).toEqual(['lookup-order', 'answer-question']);
    await page.getByLabel('Time range').selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill('2001-01-01T00:00');
    await page.getByLabel('To', { exact: true }).fill('2001-01-02T00:00');
    await eventually(() => page.locator('.empty').innerText()).toContain('No trace matches');
    expect(errors).toEqual([]);
  });
});

describe('trace page', () => {
  it('renders a 10k-span tree and waterfall with only the rows in view, folds, and scrolls to the end', async () => {
    const { page, errors } = await h.open(`/traces/${ids.big}`);
    await eventually(() => treeItems(page)).toBeGreaterThan(10);
    expect(await treeItems(page)).toBeLessThan(200);
    expect(await page.locator('.trace-facts').innerText()).toContain(`${BIG_SPANS} spans`);
    // The tree is as tall as all 10k rows, though few are in the DOM.
    const height = await page.locator('[role="tree"] > div').evaluate((el) => el.getBoundingClientRect().height);
    expect(height).toBeGreaterThanOrEqual(BIG_SPANS * 26);
    // Waterfall bars are placed by start offset: the last call starts near the right edge.
    await page.locator('[role="tree"]').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await eventually(() => page.locator('[role="treeitem"]', { hasText: `call-${BIG_SPANS - 1}` }).count()).toBe(1);
    const lastBar = await page
      .locator(`[data-span-id="${spanHex(`s${BIG_SPANS - 1}`)}"] .span-bar`)
      .evaluate((el) => Number.parseFloat((el as HTMLElement).style.left));
    expect(lastBar).toBeGreaterThan(99);
    expect(await treeItems(page)).toBeLessThan(200);
    // Folding the root leaves one row.
    await page.locator('[role="tree"]').evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.getByRole('button', { name: 'Fold root' }).click();
    await eventually(() => treeItems(page)).toBe(1);
    await page.getByRole('button', { name: 'Unfold root' }).click();
    await eventually(() => treeItems(page)).toBeGreaterThan(10);
    // The bench hook: a performance mark once the rows are painted.
    expect(await page.evaluate(() => performance.getEntriesByName('trove:trace-spans-painted').length)).toBeGreaterThan(
      0,
    );
    await screenshot(page, 'trace-10k-spans');
    expect(errors).toEqual([]);
  });

  it('shows a chat span as a conversation, its data in collapsible JSON views, and links to its run', async () => {
    const { page, errors } = await h.open(`/traces/${ids.chat}`);
    await eventually(() => treeItems(page)).toBe(3);
    await page.locator('[role="treeitem"]', { hasText: 'chat-completion' }).click();
    expect(new URL(page.url()).searchParams.get('span')).toBe(spanHex('llm'));
    const conversation = page.getByRole('list', { name: 'Conversation' });
    await eventually(() => conversation.locator('li').allInnerTexts()).toEqual([
      'SYSTEM\nYou answer from the policy.',
      'USER\nWhat is the refund policy?',
      'ASSISTANT\nRefunds within 30 days.',
    ]);
    // Attributes: the first two levels open, deeper ones folded until clicked.
    const attrs = page.locator('[data-json-view="Attributes"]');
    expect(await attrs.innerText()).toContain('temperature: 0.1');
    expect(await attrs.innerText()).not.toContain('hidden-until-opened');
    await attrs.locator('summary', { hasText: /^deep:/ }).click();
    await attrs.locator('summary', { hasText: /^deeper:/ }).click();
    await eventually(() => attrs.innerText()).toContain('"hidden-until-opened"');
    // Inputs are folded behind the conversation; opening shows the JSON.
    await page.locator('.span-section > summary', { hasText: 'Inputs' }).click();
    await eventually(() => page.locator('[data-json-view="Inputs"]').innerText()).toContain('"gpt-4o-mini"');
    // Keyboard: ↑ selects the span above.
    await page.locator('[role="tree"]').focus();
    await page.keyboard.press('ArrowUp');
    await eventually(() => new URL(page.url()).searchParams.get('span')).toBe(spanHex('ret'));
    await screenshot(page, 'trace-chat');
    // Trace → run, and the run page lists its traces.
    await page.locator('.trace-facts').getByRole('link').first().click();
    await eventually(() => page.locator('h1').innerText()).toBe('eval-run');
    const traces = page.getByRole('list', { name: 'Traces of this run' });
    await eventually(() => traces.locator('li').allInnerTexts()).toEqual([expect.stringContaining('answer-question')]);
    await traces.getByRole('link', { name: 'answer-question' }).click();
    await eventually(() => page.locator('h1').innerText()).toBe('answer-question');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("adds feedback through MLflow 3's assessments API and counts it in the table", async () => {
    const { page, errors } = await h.open('/experiments');
    await page.evaluate(() => localStorage.setItem('trove.user', 'reviewer'));
    await page.goto(`/traces/${ids.error}`);
    const section = page.getByRole('region', { name: 'Assessments' });
    await eventually(() => section.innerText()).toContain('No feedback or expectations yet.');
    await page.getByLabel('Assessment name').fill('correctness');
    await page.getByLabel('Value', { exact: true }).fill('false');
    await page.getByLabel('Rationale').fill('The order exists.');
    await page.getByRole('button', { name: 'Add assessment' }).click();
    const rows = section.locator('table[aria-label="Assessments"] tbody tr');
    await eventually(() => rows.allInnerTexts()).toEqual([
      expect.stringMatching(/correctness\s+feedback\s+false\s+HUMAN: reviewer\s+The order exists\./),
    ]);
    await page.getByRole('link', { name: 'Traces', exact: true }).click();
    await eventually(() => page.locator(`tr[data-trace-id="${ids.error}"]`).innerText()).toContain('1 feedback');
    expect(errors).toEqual([]);
  });

  it('highlights error spans and shows the exception with its stack trace', async () => {
    const { page, errors } = await h.open(`/traces/${ids.error}?span=${spanHex('tool')}`);
    const row = page.locator(`[data-span-id="${spanHex('tool')}"]`);
    await eventually(() => row.getAttribute('class')).toContain('span-error');
    expect(await row.locator('[aria-label="error"]').count()).toBe(1);
    const alert = page.locator('.span-exception');
    await eventually(() => alert.innerText()).toContain('KeyError: order 17');
    expect(await alert.locator('pre').innerText()).toContain('Traceback (most recent call last):');
    const barColor = await row.locator('.span-bar').evaluate((el) => getComputedStyle(el).backgroundColor);
    // The bar takes the theme's error colour (--bad), not the accent of ordinary spans.
    const themeColor = (name: string) =>
      page.evaluate((v) => {
        const probe = document.createElement('span');
        probe.style.color = `var(${v})`;
        document.body.append(probe);
        const c = getComputedStyle(probe).color;
        probe.remove();
        return c;
      }, name);
    expect(barColor).toBe(await themeColor('--bad'));
    expect(barColor).not.toBe(await themeColor('--accent'));
    expect(errors).toEqual([]);
  });
});
