import { invalidParam } from '@trove/protocol';

// Opaque page tokens for the small native listings: base64url(JSON) of one integer.

function decode(token: string | undefined, key: 'o' | 'id'): number | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    const n = body[key];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new Error('bad token');
    return n;
  } catch {
    throw invalidParam(`Invalid page_token '${token.slice(0, 64)}': it is not a token this server issued.`);
  }
}

/** Offset paging, as MLflow's webhook listing does. */
export const decodeOffsetToken = (token: string | undefined): number => decode(token, 'o') ?? 0;
export const encodeOffsetToken = (offset: number): string =>
  Buffer.from(JSON.stringify({ o: offset })).toString('base64url');

/** Keyset paging on an integer id: the token is the last id of the page. */
export const decodeIdToken = (token: string | undefined): number | undefined => decode(token, 'id');
export const encodeIdToken = (id: number): string => Buffer.from(JSON.stringify({ id })).toString('base64url');

/** `max_results` for the native listings: default 100, 1..1000. */
export function pageSize(v: number | bigint | undefined, fallback = 100, max = 1000): number {
  const n = v === undefined ? fallback : Number(v);
  if (!(Number.isInteger(n) && n >= 1 && n <= max))
    throw invalidParam(`Invalid value ${String(v)} for parameter 'max_results': it must be between 1 and ${max}.`);
  return n;
}
