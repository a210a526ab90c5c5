import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { API, callJson, expectOk, type HttpClient } from '../lib/client.ts';
import { log } from '../lib/report.ts';
import { REPO_ROOT } from '../lib/server.ts';
import { fmtMs, measureLatency, type Summary, summarize } from '../lib/stats.ts';

export type TracePageResult =
  | { spans: number; traceJsonBytes: number; firstPaint: Summary[]; traceFetch: Summary[] }
  | { missing: string };

const SPANS = 10_000;
const spanHex = (i: number) => (i + 1).toString(16).padStart(16, '0');

/**
 * One MLflow 2 trace of `n` spans as the 2.x client uploads it (`traces.json`): an agent root
 * with 100 steps, each an LLM call and tool calls beneath (depth 3), inputs/outputs on every span.
 */
function traceJson(traceId: string, n: number, t0: number): string {
  const spans = [];
  for (let i = 0; i < n; i++) {
    const parent = i === 0 ? null : i <= 100 ? 0 : 1 + ((i - 101) % 100);
    const start = (t0 + i) * 1e6;
    spans.push({
      name: i === 0 ? 'agent' : i <= 100 ? `step-${i}` : i % 3 === 0 ? 'llm.chat' : 'tool.search',
      context: { span_id: `0x${spanHex(i)}`, trace_id: `0x${traceId}` },
      parent_id: parent === null ? null : `0x${spanHex(parent)}`,
      start_time: start,
      end_time: start + (i === 0 ? n : 1) * 1e6,
      status_code: 'OK',
      status_message: '',
      attributes: {
        'mlflow.spanType': JSON.stringify(i === 0 ? 'AGENT' : i % 3 === 0 ? 'CHAT_MODEL' : 'TOOL'),
        'mlflow.spanInputs': JSON.stringify({ query: `question ${i}` }),
        'mlflow.spanOutputs': JSON.stringify({ answer: `answer ${i}` }),
      },
      events: [],
    });
  }
  return JSON.stringify({ spans, request: '{"query": "question 0"}', response: '{"answer": "answer 0"}' });
}

/**
 * Navigation → the first span row of the trace page's tree in the DOM (checked every animation
 * frame, headless Chromium as bench/ui does), for a trace of 10k spans stored through the V2 API
 * and the artifact proxy. Beside it, the page's own data request timed alone (the native trace read).
 */
export async function tracePageBench(client: HttpClient, serverUrl: string, rounds: number): Promise<TracePageResult> {
  if (!existsSync(join(REPO_ROOT, 'packages/ui/src/features/traces/TracePage.tsx'))) {
    log('trace page: this tree has no trace page (packages/ui/src/features/traces): not measured');
    return { missing: 'no trace page in this tree' };
  }
  const { experiment_id } = await callJson(client, 'POST', `${API}/experiments/create`, {
    name: `trace-page-${Date.now()}`,
  });
  const t0 = Date.now();
  const { trace_info } = await callJson(client, 'POST', `${API}/traces`, { experiment_id, timestamp_ms: t0 });
  const id = trace_info.request_id as string;
  const end = await fetch(`${serverUrl}${API}/traces/${id}`, {
    method: 'PATCH',
    body: JSON.stringify({ timestamp_ms: t0 + SPANS, status: 'OK' }),
    headers: { 'content-type': 'application/json' },
  });
  if (end.status !== 200) throw new Error(`end trace → ${end.status}`);
  const body = traceJson(id, SPANS, t0);
  const artifact = `${experiment_id}/traces/${id}/artifacts/traces.json`;
  const put = await fetch(`${serverUrl}/api/2.0/mlflow-artifacts/artifacts/${artifact}`, {
    method: 'PUT',
    body,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 200) throw new Error(`PUT traces.json → ${put.status}`);
  const browser = await chromium.launch({
    executablePath: process.env.TROVE_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: false,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const firstPaint: Summary[] = [];
  const traceFetch: Summary[] = [];
  try {
    const ctx = await browser.newContext({ baseURL: serverUrl, viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    const row = `document.querySelector('[role="tree"] [role="treeitem"][data-span-id]')`;
    const open = async () => {
      await page.goto('about:blank');
      await page.goto(`/traces/${id}`, { waitUntil: 'commit' });
      const h = await page.waitForFunction(`(() => ${row} ? performance.now() : false)()`, null, {
        polling: 'raf',
        timeout: 60_000,
      });
      return Number(await h.jsonValue());
    };
    for (let round = 0; round < rounds; round++) {
      const samples: number[] = [];
      await open();
      for (let i = 0; i < 5; i++) samples.push(await open());
      firstPaint.push(summarize(samples));
      const m = await measureLatency(
        async () => expectOk(await client.request('GET', `/api/trove/v1/traces/${id}`), 'native trace read'),
        { warmup: 1, n: 5, budgetMs: 30_000 },
      );
      traceFetch.push(summarize(m.samples));
    }
  } finally {
    await browser.close();
  }
  log(
    `  trace page, ${SPANS} spans: first span row p50 ${firstPaint.map((s) => fmtMs(s.p50)).join(' / ')} after navigation (its data request alone: ${traceFetch.map((s) => fmtMs(s.p50)).join(' / ')})`,
  );
  return { spans: SPANS, traceJsonBytes: body.length, firstPaint, traceFetch };
}
