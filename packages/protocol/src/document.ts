import * as z from 'zod/mini';
import { invalidParam } from './errors.ts';

/**
 * Trove-only JSON documents that users send inside a request (saved view states, review policy
 * rules, webhook event lists) are described by zod schemas, and their types are inferred from
 * them. Each schema is written in a function (`function viewStateSchema() { return z.… }`) and
 * built on first use: the UI bundles this package for its constants and never parses these
 * documents, and a schema built at import time would keep zod in its bundle.
 */
export type DocumentIssue = z.core.$ZodIssue;

const built = new WeakMap<() => z.ZodMiniType, z.ZodMiniType>();

/**
 * Parses a document with the schema `schema()` builds. On failure the document's own `describe`
 * turns zod's issues (in document order; `input` holds the refused value) into the message of one
 * INVALID_PARAMETER_VALUE error, so each document keeps its wording.
 */
export function parseDocument<S extends z.ZodMiniType>(
  schema: () => S,
  input: unknown,
  describe: (issues: readonly DocumentIssue[]) => string,
): z.output<S> {
  let s = built.get(schema) as S | undefined;
  if (s === undefined) {
    s = schema();
    built.set(schema, s);
  }
  const parsed = z.safeParse(s, input, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw invalidParam(describe(parsed.error.issues));
}

/** The full name of a field inside a document: `fieldName('state', ['sort', 0, 'id'])` is `state.sort[0].id`. */
export function fieldName(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : `${name}.${String(key)}`),
    root,
  );
}
