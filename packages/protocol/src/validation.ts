import { describeValue } from './describe-value.ts';
import { invalidParam } from './errors.ts';
import { LIMITS } from './limits.ts';

// MLflow's key rules (reference §13): word characters, `/ . - space :`, and already a normalised
// relative path.
const KEY_CHARS = /^[/\p{L}\p{N}_.\- :]*$/u;

export function validateKey(key: string, what = 'key'): void {
  if (!KEY_CHARS.test(key)) {
    throw invalidParam(
      `Invalid ${what} '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  }
  if (
    key === '' ||
    key === '.' ||
    key.startsWith('/') ||
    key.endsWith('/') ||
    key.includes('//') ||
    key.split('/').some((s) => s === '.' || s === '..')
  ) {
    throw invalidParam(
      `Invalid ${what} '${key}'. Names must be a normalized, relative path without '.' or '..' segments.`,
    );
  }
  if (key.length > LIMITS.keyLength) {
    throw invalidParam(
      `${capitalise(what)} '${key.slice(0, 40)}…' had length ${key.length}, which exceeded length limit of ${LIMITS.keyLength}.`,
    );
  }
}

export function validateLength(value: string, limit: number, what: string): void {
  if (value.length > limit) {
    throw invalidParam(
      `${capitalise(what)} had length ${value.length}, which exceeded length limit of ${limit}. Trove stores values intact and does not truncate.`,
    );
  }
}

const RUN_ID_RE = /^[a-zA-Z0-9][\w-]{0,255}$/;

export function validateRunId(runId: string): void {
  if (!RUN_ID_RE.test(runId)) throw invalidParam(`Invalid run ID: '${runId}'`);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Reads `[{key, value}]` items (tags/params) from a request, checking types. */
export function readKeyValues(
  items: Record<string, unknown>[] | undefined,
  field: string,
  valueRequired = false,
): { key: string; value: string }[] {
  if (!items) return [];
  return items.map((item, i) => {
    const key = item.key;
    const value = item.value ?? '';
    if (typeof key !== 'string' || key === '')
      throw invalidParam(`Missing value for required parameter '${field}[${i}].key'.`);
    if (typeof value !== 'string') {
      if (valueRequired || value !== null)
        throw invalidParam(`Invalid value ${describeValue(value)} for parameter '${field}[${i}].value' supplied.`);
    }
    return { key, value: String(value) };
  });
}
