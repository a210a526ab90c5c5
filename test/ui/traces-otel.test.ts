// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), which reads rendered text
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mlflow } from '../support/server.ts';
import { eventually, startUiHarness, type UiHarness } from './support/harness.ts';

let h: UiHarness;
let exp: string;
let traceId: string;

/** A chat agent made with the OpenTelemetry JS SDK, exported as OTLP protobuf to `/v1/traces`. */
beforeAll(async () => {
  h = await startUiHarness();
  exp = await mlflow(h.server).createExperiment('otel-agent');
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('trove-ui-test', '1.0.0');
  const root = tracer.startSpan('support-agent', { attributes: { 'app.user': 'alice' } });
  const inRoot = trace.setSpan(context.active(), root);
  const chat = tracer.startSpan(
    'chat gpt-test',
    {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', content: 'Where is my parcel?' }]),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', content: 'It ships tomorrow.' }]),
      },
    },
    inRoot,
  );
  const tool = tracer.startSpan('track-parcel', {}, trace.setSpan(inRoot, chat));
  tool.recordException(new Error('carrier API timed out'));
  tool.setStatus({ code: SpanStatusCode.ERROR, message: 'carrier API timed out' });
  tool.end();
  chat.end();
  root.end();
  traceId = `tr-${root.spanContext().traceId}`;
  const exporter = new OTLPTraceExporter({
    url: `${h.server.url}/v1/traces`,
    headers: { 'x-mlflow-experiment-id': exp },
  });
  const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) =>
    exporter.export(memory.getFinishedSpans(), resolve),
  );
  expect(result.error).toBeUndefined();
  expect(result.code).toBe(ExportResultCode.SUCCESS);
}, 120_000);
afterAll(async () => h?.close());

it('shows spans exported by the OpenTelemetry JS SDK: tree, conversation, the exception', async () => {
  const { page, errors } = await h.open(`/experiments/${exp}/traces`);
  const row = page.locator(`table[aria-label="Traces"] tr[data-trace-id="${traceId}"]`);
  await eventually(() => row.count()).toBe(1);
  await row.getByRole('link').first().click();
  await eventually(() => page.locator('[role="treeitem"] .span-label').allInnerTexts()).toEqual([
    'support-agent',
    'chat gpt-test',
    'track-parcel',
  ]);
  expect(
    await page.locator('[role="treeitem"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-level'))),
  ).toEqual(['1', '2', '3']);
  await page.locator('[role="treeitem"]', { hasText: 'chat gpt-test' }).click();
  await eventually(() => page.getByRole('list', { name: 'Conversation' }).locator('li').allInnerTexts()).toEqual([
    'USER\nWhere is my parcel?',
    'ASSISTANT\nIt ships tomorrow.',
  ]);
  const tool = page.locator('[role="treeitem"]', { hasText: 'track-parcel' });
  expect(await tool.getAttribute('class')).toContain('span-error');
  await tool.click();
  await eventually(() => page.locator('.span-exception').innerText()).toContain('Error: carrier API timed out');
  expect(await page.locator('.span-exception pre').innerText()).toContain('carrier API timed out');
  expect(errors).toEqual([]);
});
