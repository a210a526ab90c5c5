import type { Readable } from 'node:stream';
import type { ModelPages } from '@trove/protocol';
import { parse } from 'yaml';

export const MLMODEL_MAX_BYTES = 1024 * 1024;

export async function readText(stream: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new Error(`larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function jsonOrRaw(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Parses MLmodel YAML (the `yaml` package limits alias expansion, so a hostile file cannot blow up). */
export function parseMlModel(text: string): ModelPages.MlModelInfo {
  const doc = parse(text) as Record<string, unknown> | null;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('MLmodel is not a YAML mapping');
  const info: ModelPages.MlModelInfo = { flavors: (doc.flavors as Record<string, unknown>) ?? {} };
  for (const key of [
    'artifact_path',
    'model_uuid',
    'model_id',
    'run_id',
    'utc_time_created',
    'mlflow_version',
  ] as const) {
    if (typeof doc[key] === 'string') info[key] = doc[key] as string;
  }
  if (typeof doc.model_size_bytes === 'number') info.model_size_bytes = doc.model_size_bytes;
  if (doc.metadata !== undefined) info.metadata = doc.metadata;
  const sig = doc.signature as Record<string, unknown> | undefined;
  if (sig && typeof sig === 'object')
    info.signature = { inputs: jsonOrRaw(sig.inputs), outputs: jsonOrRaw(sig.outputs), params: jsonOrRaw(sig.params) };
  const example = doc.saved_input_example_info;
  if (example && typeof example === 'object') info.saved_input_example_info = example as Record<string, unknown>;
  return info;
}
