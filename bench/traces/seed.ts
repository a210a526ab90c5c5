import { randomBytes } from 'node:crypto';
import { insertTrace, runInTransaction, type Store, upsertTraceKvs } from '@trove/store';
import { rng } from '../lib/stats.ts';

/**
 * Traces as MLflow 2.x clients leave them, written through the store's own repository functions
 * (one transaction per `BATCH` traces): the row with its mirrored columns, 6 tags and 4–5
 * metadata entries, previews truncated to 250 characters as the 2.x client truncates them.
 * No spans: search never reads them.
 */
export interface TraceSeedExperiment {
  id: number;
  /** Share of all traces. */
  share: number;
  artifactRoot: string;
  runs: string[];
}

export interface SeededTraces {
  traces: number;
  ms: number;
  /** How many traces of each experiment match each benchmark filter, counted while seeding. */
  counts: Record<string, Record<string, number>>;
  firstMs: number;
  lastMs: number;
}

const BATCH = 5000;
const PREVIEW_CHARS = 250;
const DAY = 86_400_000;
const NAMES = ['chat', 'rag_query', 'agent.run', 'summarize', 'classify', 'extract', 'translate', 'tool_call'];
const ENVS = ['prod', 'prod', 'prod', 'staging', 'dev'];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet', 'llama-3.1-70b'];
const WORDS =
  'the a to of and in is for on with how what my can you please order account password reset shipping invoice plan upgrade cancel price delivery address email login error payment card bank transfer return policy warranty support manager document report summary table chart data model question answer help today tomorrow week month year customer product service team project meeting schedule contract'.split(
    ' ',
  );
/** Words the free-text benchmarks look for: one in ~5% of requests, one in ~0.05%, one in none. */
export const COMMON_WORD = 'refund';
export const RARE_WORD = 'kumquat';
export const ABSENT_WORD = 'zyzzyva';
export const RARE_USER = 'u-0042';

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * random() * WORDS.length)]);
  if (random() < 0.05) out.splice(Math.floor(random() * out.length), 0, COMMON_WORD);
  if (random() < 0.0005) out.splice(Math.floor(random() * out.length), 0, RARE_WORD);
  return out.join(' ');
}

const hex = (n: number) => randomBytes(n).toString('hex');

export async function seedTraces(
  store: Store,
  experiments: TraceSeedExperiment[],
  total: number,
  start = Date.now() - 30 * DAY,
): Promise<SeededTraces> {
  const t0 = performance.now();
  const random = rng(14);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const counts: Record<string, Record<string, number>> = {};
  const count = (exp: number, what: string) => {
    const c = counts[exp] ?? {};
    c[what] = (c[what] ?? 0) + 1;
    counts[exp] = c;
  };
  const step = (30 * DAY) / total;
  const cumulative = experiments.map((_, i) => experiments.slice(0, i + 1).reduce((s, e) => s + e.share, 0));
  let session = hex(8);
  for (let from = 0; from < total; from += BATCH) {
    await runInTransaction(store, async (tx) => {
      for (let i = from; i < Math.min(total, from + BATCH); i++) {
        const r = random() * cumulative[cumulative.length - 1];
        const exp = experiments[cumulative.findIndex((c) => r < c)];
        const traceId = hex(16);
        const timestampMs = Math.floor(start + i * step + random() * step);
        const state = random() < 0.9 ? 'OK' : random() < 0.8 ? 'ERROR' : 'IN_PROGRESS';
        const name = pick(NAMES);
        const run = random() < 0.5 ? pick(exp.runs) : null;
        const user = `u-${String(Math.floor(random() * 1000)).padStart(4, '0')}`;
        const env = pick(ENVS);
        if (random() < 0.1) session = hex(8);
        const question = sentence(random, 12 + Math.floor(random() * 20));
        const request = JSON.stringify({ messages: [{ role: 'user', content: question }] }).slice(0, PREVIEW_CHARS);
        const response = JSON.stringify({
          choices: [{ message: { role: 'assistant', content: sentence(random, 20 + Math.floor(random() * 40)) } }],
        }).slice(0, PREVIEW_CHARS);
        const input = 20 + Math.floor(random() * 500);
        const output = 10 + Math.floor(random() * 800);
        const pk = await insertTrace(tx, {
          trace_id: traceId,
          experiment_id: exp.id,
          timestamp_ms: timestampMs,
          execution_time_ms: state === 'IN_PROGRESS' ? null : 50 + Math.floor(random() * random() * 20_000),
          state,
          name,
          run_uuid: run,
          request_preview: request,
          response_preview: response,
          input_tokens: input,
          output_tokens: output,
          total_tokens: input + output,
        });
        await upsertTraceKvs(tx, 'trace_tags', pk, [
          { key: 'mlflow.traceName', value: name },
          { key: 'mlflow.artifactLocation', value: `${exp.artifactRoot}/traces/${traceId}/artifacts` },
          { key: 'env', value: env },
          { key: 'user', value: user },
          { key: 'model', value: pick(MODELS) },
          { key: 'session', value: session },
        ]);
        const metadata = [
          { key: 'mlflow.trace_schema.version', value: '2' },
          { key: 'mlflow.traceInputs', value: request },
          { key: 'mlflow.traceOutputs', value: response },
          {
            key: 'mlflow.trace.tokenUsage',
            value: JSON.stringify({ input_tokens: input, output_tokens: output, total_tokens: input + output }),
          },
        ];
        if (run) metadata.push({ key: 'mlflow.sourceRun', value: run });
        await upsertTraceKvs(tx, 'trace_metadata', pk, metadata);
        count(exp.id, 'all');
        count(exp.id, `state:${state}`);
        count(exp.id, `env:${env}`);
        if (user === RARE_USER) count(exp.id, 'user:rare');
        if (run === exp.runs[0]) count(exp.id, 'run:first');
        for (const w of [COMMON_WORD, RARE_WORD])
          if (request.includes(w) || response.includes(w)) count(exp.id, `text:${w}`);
      }
    });
  }
  return { traces: total, ms: performance.now() - t0, counts, firstMs: start, lastMs: start + 30 * DAY };
}
