import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DESCRIPTOR_FILE, traceServiceDescriptor } from '../scripts/otlp-proto.ts';
import { decodeExportRequest } from '../src/otlp/otlp-codec.ts';
import { readSpans } from '../src/otlp/otlp-spans.ts';
import { PREVIEW_MAX, spanTokens, summarizeTrace } from '../src/otlp/trace-summary.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';
const json = (spans: Record<string, unknown>[]) =>
  decodeExportRequest(Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] })), 'json');
const span = (spanId: string, extra: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  spanId,
  name: `s-${spanId}`,
  startTimeUnixNano: '1700000000123456789',
  endTimeUnixNano: '1700000002123456789',
  ...extra,
});

describe('OTLP decoding', () => {
  it('loads the committed descriptor, which is the vendored opentelemetry-proto files parsed again', () => {
    expect(JSON.parse(readFileSync(DESCRIPTOR_FILE, 'utf8'))).toEqual(JSON.parse(traceServiceDescriptor()));
  });

  it('turns OTLP/JSON into MLflow span dicts: hex ids, typed attributes, 64-bit integers exact', () => {
    const { spans, rejected } = readSpans(
      json([
        span('eee19b7ec3c1b174', {
          attributes: [
            { key: 'big', value: { intValue: '9007199254740993' } },
            { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }] } } },
            { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { doubleValue: 1.5 } }] } } },
          ],
          status: { code: 2, message: 'boom' },
        }),
        span('0000000000000000'),
      ]),
    );
    expect(rejected).toEqual([{ reason: "span 's-0000000000000000' has no valid 8-byte span id" }]);
    const [s] = spans;
    expect(s.traceId).toBe(`tr-${TRACE}`);
    expect(s.isRoot).toBe(true);
    expect(s.row).toMatchObject({ span_id: 'eee19b7ec3c1b174', parent_span_id: null, status: 'ERROR' });
    expect(s.row.start_time_ns).toBe(1700000000123456789n);
    expect(s.row.content).toContain('"big":9007199254740993');
    expect(JSON.parse(s.row.content)).toMatchObject({
      trace_id: `tr-${TRACE}`,
      otel_trace_id: TRACE,
      status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
      attributes: { list: ['a', true], map: { k: 1.5 }, 'mlflow.traceRequestId': `"tr-${TRACE}"` },
    });
  });
});

describe('trace summaries', () => {
  it('takes time, state, name and previews from the root, falling back to GenAI message attributes', () => {
    const long = 'x'.repeat(PREVIEW_MAX + 10);
    const { spans } = readSpans(
      json([
        span('1111111111111111', {
          attributes: [
            { key: 'gen_ai.input.messages', value: { stringValue: long } },
            { key: 'gen_ai.usage.input_tokens', value: { intValue: '7' } },
          ],
        }),
        span('2222222222222222', {
          parentSpanId: '1111111111111111',
          startTimeUnixNano: '1699999999999000000',
          attributes: [
            { key: 'mlflow.chat.tokenUsage', value: { stringValue: '{"input_tokens":3,"output_tokens":4}' } },
          ],
        }),
      ]),
    );
    const f = summarizeTrace(spans, () => false);
    expect(f).toMatchObject({
      timestampMs: 1699999999999,
      executionTimeMs: 2000,
      state: 'OK',
      name: 's-1111111111111111',
      responsePreview: null,
      tokens: { input: 10, output: 4, total: 14 },
      newSpans: 2,
    });
    expect(f.requestPreview).toHaveLength(PREVIEW_MAX);
    expect(summarizeTrace(spans.slice(1), (s) => s.row.span_id === '2222222222222222')).toMatchObject({
      state: 'IN_PROGRESS',
      executionTimeMs: null,
      tokens: null,
      newSpans: 0,
    });
  });

  it('reads token usage in MLflow’s form first, else the GenAI conventions (old names too)', () => {
    expect(spanTokens({ 'mlflow.chat.tokenUsage': '{"input_tokens":1,"output_tokens":2,"total_tokens":5}' })).toEqual({
      input: 1,
      output: 2,
      total: 5,
    });
    expect(spanTokens({ 'gen_ai.usage.prompt_tokens': 4, 'gen_ai.usage.completion_tokens': '6' })).toEqual({
      input: 4,
      output: 6,
      total: 10,
    });
    expect(spanTokens({ 'gen_ai.request.model': 'm' })).toBeNull();
  });
});
