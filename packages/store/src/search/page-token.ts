import { createHash } from 'node:crypto';
import { invalidParam } from '@trove/protocol';
import type { KeyValue } from './keyset.ts';

/**
 * Page tokens are base64url(JSON) of the last row's sort-key values plus a fingerprint of the
 * query, so a token replayed against a different search is rejected instead of paging wrongly.
 */
interface TokenBody {
  v: 1;
  fp: string;
  after: KeyValue[];
}

/** A short digest of everything that shapes the result order and membership (not the page size). */
export function queryFingerprint(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodePageToken(fingerprint: string, after: KeyValue[]): string {
  const body: TokenBody = { v: 1, fp: fingerprint, after };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Returns the cursor values, checking the token's shape and that it belongs to this query. */
export function decodePageToken(token: string, fingerprint: string, keyCount: number): KeyValue[] {
  let body: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(token)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidParam(`Invalid page_token '${token.slice(0, 64)}': it is not a token this server issued`);
  }
  if (!isTokenBody(body)) throw invalidParam(`Invalid page_token '${token.slice(0, 64)}': it is not a token this server issued`);
  if (body.fp !== fingerprint) {
    throw invalidParam('Invalid page_token: it was issued for a different search (filter, order_by, experiments or view type changed)');
  }
  if (body.after.length !== keyCount) throw invalidParam(`Invalid page_token '${token.slice(0, 64)}': it is not a token this server issued`);
  return body.after;
}

function isTokenBody(x: unknown): x is TokenBody {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    o.v === 1 &&
    typeof o.fp === 'string' &&
    Array.isArray(o.after) &&
    o.after.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
  );
}
