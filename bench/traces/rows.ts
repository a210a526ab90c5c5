import { randomBytes } from 'node:crypto';

/**
 * Rows for the raw insert limits, as wide as what the store keeps: a trace row with 250-character
 * previews (all 18 columns of `traces`), and a span row (the 9 columns of `trace_spans`) whose
 * content is an OTLP span in MLflow 3's dict form with a few attributes.
 */
const PREVIEW = 'x'.repeat(250);

export function traceRow(): unknown[] {
  const t = Date.now();
  return [
    null,
    randomBytes(16).toString('hex'),
    1,
    t,
    1200,
    'OK',
    'chat',
    'a'.repeat(32),
    null,
    PREVIEW,
    PREVIEW,
    100,
    200,
    300,
    0,
    null,
    null,
    null,
  ];
}

export function spanRow(): unknown[] {
  const spanId = randomBytes(8).toString('hex');
  const content = JSON.stringify({
    trace_id: randomBytes(16).toString('base64'),
    span_id: Buffer.from(spanId, 'hex').toString('base64'),
    parent_span_id: randomBytes(8).toString('base64'),
    name: 'llm.chat',
    start_time_unix_nano: '1735689600000000000',
    end_time_unix_nano: '1735689600120000000',
    attributes: {
      'mlflow.spanType': '"LLM"',
      'gen_ai.system': '"openai"',
      'gen_ai.request.model': '"gpt-4o"',
      'gen_ai.usage.input_tokens': '120',
      'gen_ai.usage.output_tokens': '80',
    },
    status: { code: 'STATUS_CODE_OK', message: '' },
    events: [],
  });
  return [
    1,
    spanId,
    randomBytes(8).toString('hex'),
    'llm.chat',
    'LLM',
    'OK',
    1735689600000000000n,
    1735689600120000000n,
    content,
  ];
}
