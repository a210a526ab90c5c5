import { context, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

const SPANS_PER_TRACE = 8;
const CHILDREN = ['retrieve', 'rerank', 'llm.chat', 'tool.search', 'llm.chat', 'parse', 'format'];

/**
 * OTLP/protobuf export requests as the OTel JS SDK's exporter sends them: spans recorded by the
 * real SDK (an agent trace: a root and 7 children with MLflow and GenAI attributes, an event on the
 * LLM spans), serialized by `@opentelemetry/otlp-transformer`, `spansPerBatch` spans per request,
 * every trace and span id new.
 */
export function otlpBatches(batches: number, spansPerBatch: number): Buffer[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('trove-bench');
  const out: Buffer[] = [];
  const tracesPerBatch = Math.ceil(spansPerBatch / SPANS_PER_TRACE);
  for (let b = 0; b < batches; b++) {
    for (let t = 0; t < tracesPerBatch; t++) {
      const question = `How do I change the delivery address of order ${b * tracesPerBatch + t}?`;
      const root = tracer.startSpan('agent.run', {
        attributes: {
          'mlflow.spanType': '"AGENT"',
          'mlflow.spanInputs': JSON.stringify({ messages: [{ role: 'user', content: question }] }),
        },
      });
      const ctx = trace.setSpan(context.active(), root);
      for (const name of CHILDREN) {
        const llm = name.startsWith('llm');
        const child = tracer.startSpan(
          name,
          {
            attributes: llm
              ? {
                  'mlflow.spanType': '"CHAT_MODEL"',
                  'gen_ai.system': 'openai',
                  'gen_ai.request.model': 'gpt-4o',
                  'gen_ai.usage.input_tokens': 420,
                  'gen_ai.usage.output_tokens': 96,
                  'mlflow.spanInputs': JSON.stringify({ messages: [{ role: 'user', content: question }] }),
                  'mlflow.spanOutputs': JSON.stringify({ content: 'Open the order page and choose Edit address.' }),
                }
              : {
                  'mlflow.spanType': '"TOOL"',
                  'tool.name': name,
                  'mlflow.spanInputs': JSON.stringify({ q: question }),
                },
          },
          ctx,
        );
        if (llm) child.addEvent('gen_ai.content.prompt', { 'gen_ai.prompt': question });
        child.end();
      }
      root.setAttribute(
        'mlflow.spanOutputs',
        JSON.stringify({ answer: 'Open the order page and choose Edit address.' }),
      );
      root.end();
    }
    const spans: ReadableSpan[] = memory.getFinishedSpans().slice(0, spansPerBatch);
    memory.reset();
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    if (!body) throw new Error('the OTLP serializer returned nothing');
    out.push(Buffer.from(body));
  }
  return out;
}

/** The partial_success of an ExportTraceServiceResponse, as text; undefined when every span was taken. */
export function rejectedSpans(response: Buffer): string | undefined {
  const r = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(response));
  const p = r.partialSuccess;
  if (!p || (!Number(p.rejectedSpans ?? 0) && !p.errorMessage)) return undefined;
  return `${p.rejectedSpans} (${p.errorMessage})`;
}
