import { createHash } from 'node:crypto';
import { invalidParam } from '@trove/protocol';
import type { KeyValue } from './keyset.ts';

/**
 * Page tokens are base64url(JSON) of the last row's position (result segment and sort-key
 * values) plus a fingerprint of the query, so a token replayed against a different search is
 * rejected instead of paging wrongly.
 */
interface TokenBody {
  v: 1;
  fp: string;
  seg: number;
  after: KeyValue[];
}

export interface Cursor {
  segment: number;
  after: KeyValue[];
}

/** A short digest of everything that shapes the result order and membership (not the page size). */
export function queryFingerprint(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodePageToken(fingerprint: string, segment: number, after: KeyValue[]): string {
  const body: TokenBody = { v: 1, fp: fingerprint, seg: segment, after };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Returns the cursor, checking the token's shape and that it belongs to this query; `keyCounts[i]` is segment i's key count. */
export function decodePageToken(token: string, fingerprint: string, keyCounts: number[]): Cursor {
  const foreign = () =>
    invalidParam(`Invalid page_token '${token.slice(0, 64)}': it is not a token this server issued`);
  let body: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw foreign();
  }
  if (!isTokenBody(body)) throw foreign();
  if (body.fp !== fingerprint) {
    throw invalidParam(
      'Invalid page_token: it was issued for a different search (filter, order_by, experiments or view type changed)',
    );
  }
  if (body.seg >= keyCounts.length || body.after.length !== keyCounts[body.seg]) throw foreign();
  return { segment: body.seg, after: body.after };
}

function isTokenBody(x: unknown): x is TokenBody {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    o.v === 1 &&
    typeof o.fp === 'string' &&
    Number.isInteger(o.seg) &&
    (o.seg as number) >= 0 &&
    Array.isArray(o.after) &&
    o.after.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
  );
}
