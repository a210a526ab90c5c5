/**
 * What a logged dataset says about itself: MLflow stores its schema and profile as JSON strings
 * (`Dataset.schema`, `Dataset.profile`). Pure; anything unreadable comes back empty, never throws.
 */

export interface SchemaColumn {
  name: string;
  type: string;
}

function parse(json: string | undefined): unknown {
  if (!json) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v) ?? '';
}

/**
 * The columns of a schema: MLflow's `{"mlflow_colspec": [{name, type}]}` (pandas and Spark
 * datasets), `{"mlflow_tensorspec": {features, targets}}` (NumPy/tensor datasets, each a JSON
 * string of `[{name?, type, tensor-spec}]`), or a bare `[{name, type}]` list.
 */
export function schemaColumns(json: string | undefined): SchemaColumn[] {
  const schema = parse(json);
  const specs: unknown[] = [];
  if (Array.isArray(schema)) specs.push(...schema);
  else if (schema && typeof schema === 'object') {
    const o = schema as Record<string, unknown>;
    if (Array.isArray(o.mlflow_colspec)) specs.push(...o.mlflow_colspec);
    const tensors = o.mlflow_tensorspec as Record<string, unknown> | undefined;
    for (const part of ['features', 'targets'] as const) {
      const list = typeof tensors?.[part] === 'string' ? parse(tensors[part] as string) : tensors?.[part];
      if (Array.isArray(list)) specs.push(...list.map((s, i) => ({ name: `${part}[${i}]`, ...(s as object) })));
    }
  }
  return specs.flatMap((s, i) => {
    if (!s || typeof s !== 'object') return [];
    const { name, type, 'tensor-spec': tensor } = s as Record<string, unknown>;
    const shown = type === 'tensor' && tensor ? `tensor ${describe(tensor)}` : describe(type ?? '');
    return [{ name: typeof name === 'string' && name !== '' ? name : `column ${i}`, type: shown }];
  });
}

/** A profile's entries (`{"num_rows": 128000, …}`) as key and display value, in the order logged. */
export function profileEntries(json: string | undefined): [string, string][] {
  const profile = parse(json);
  if (!profile || typeof profile !== 'object' || Array.isArray(profile)) return [];
  return Object.entries(profile as Record<string, unknown>).map(([k, v]) => [k, describe(v)]);
}
