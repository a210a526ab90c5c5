import { stringifyJson } from '@trove/protocol';
import { decodeAttribute } from '../services/trace-data.ts';
import type { IngestSpan } from './otlp-spans.ts';

/** What the spans of one batch say about their trace (see `TraceSummary` in the store for how it merges). */
export interface TraceFacts {
  timestampMs: number;
  /** From the root span, when the batch holds it. */
  executionTimeMs: number | null;
  state: 'OK' | 'ERROR' | 'IN_PROGRESS';
  name: string | null;
  requestPreview: string | null;
  responsePreview: string | null;
  /** Summed over the spans the store did not hold yet; null when none of them carries usage. */
  tokens: { input: number; output: number; total: number } | null;
  newSpans: number;
}

/** MLflow's trace previews hold the first 1000 characters of the root's inputs and outputs. */
export const PREVIEW_MAX = 1000;
const INPUTS = ['mlflow.spanInputs', 'gen_ai.input.messages', 'gen_ai.prompt'];
const OUTPUTS = ['mlflow.spanOutputs', 'gen_ai.output.messages', 'gen_ai.completion'];
const NS_PER_MS = 1_000_000n;

export function summarizeTrace(spans: IngestSpan[], alreadyStored: (s: IngestSpan) => boolean): TraceFacts {
  let start: bigint | null = null;
  for (const s of spans)
    if (s.row.start_time_ns !== null && (start === null || s.row.start_time_ns < start)) start = s.row.start_time_ns;
  const root = spans.find((s) => s.isRoot);
  const fresh = spans.filter((s) => !alreadyStored(s));
  const facts: TraceFacts = {
    timestampMs: Number((start ?? 0n) / NS_PER_MS),
    executionTimeMs: null,
    state: 'IN_PROGRESS',
    name: null,
    requestPreview: null,
    responsePreview: null,
    tokens: sumTokens(fresh),
    newSpans: fresh.length,
  };
  if (!root) return facts;
  const { start_time_ns: s, end_time_ns: e } = root.row;
  if (s !== null && e !== null && e >= s) facts.executionTimeMs = Number((e - s) / NS_PER_MS);
  facts.state = root.row.status === 'ERROR' ? 'ERROR' : 'OK';
  facts.name = root.row.name;
  facts.requestPreview = preview(root.attributes, INPUTS);
  facts.responsePreview = preview(root.attributes, OUTPUTS);
  return facts;
}

function preview(attributes: Record<string, unknown>, keys: string[]): string | null {
  const key = keys.find((k) => attributes[k] !== undefined && attributes[k] !== null);
  if (key === undefined) return null;
  const v = attributes[key];
  return (typeof v === 'string' ? v : stringifyJson(v)).replaceAll('\0', '').slice(0, PREVIEW_MAX);
}

const count = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.trunc(n) : undefined;
};

/**
 * Token usage of one span: MLflow's `mlflow.chat.tokenUsage` (JSON `{input_tokens, output_tokens,
 * total_tokens}`), else the GenAI semantic conventions' `gen_ai.usage.*` (and their older
 * `prompt_tokens` / `completion_tokens` names).
 */
export function spanTokens(a: Record<string, unknown>): { input: number; output: number; total: number } | null {
  const usage = decodeAttribute(a['mlflow.chat.tokenUsage']);
  if (usage !== null && typeof usage === 'object' && !Array.isArray(usage)) {
    const u = usage as Record<string, unknown>;
    const input = count(u.input_tokens) ?? 0;
    const output = count(u.output_tokens) ?? 0;
    return { input, output, total: count(u.total_tokens) ?? input + output };
  }
  const input = count(a['gen_ai.usage.input_tokens']) ?? count(a['gen_ai.usage.prompt_tokens']);
  const output = count(a['gen_ai.usage.output_tokens']) ?? count(a['gen_ai.usage.completion_tokens']);
  if (input === undefined && output === undefined) return null;
  return { input: input ?? 0, output: output ?? 0, total: (input ?? 0) + (output ?? 0) };
}

function sumTokens(spans: IngestSpan[]): TraceFacts['tokens'] {
  let sum: TraceFacts['tokens'] = null;
  for (const s of spans) {
    const t = spanTokens(s.attributes);
    if (t === null) continue;
    sum ??= { input: 0, output: 0, total: 0 };
    sum.input += t.input;
    sum.output += t.output;
    sum.total += t.total;
  }
  return sum;
}
