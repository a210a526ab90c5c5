/**
 * The packed form of a run of metric points: one blob per write of a series instead of one row
 * per point. Layout (little-endian): a 1-byte format, 7 bytes of padding, then `n` timestamps,
 * `n` steps and `n` values, 8 bytes each. Format 0 stores timestamps and steps as float64 (every
 * one exact in 2^53, the common case, and read back without BigInt); format 1 stores them as
 * int64. A NaN value is stored as NaN (stored values are never NaN otherwise: ±Infinity is kept
 * as ±DBL_MAX, as MLflow does).
 */

const HEADER = 8;
const SAFE = 0;
const INT64 = 1;

/** Points in history order, column-wise; ints are numbers, or BigInt beyond 2^53. */
export interface PointColumns {
  timestamps: (number | bigint)[];
  steps: (number | bigint)[];
  values: number[];
  isNan: (0 | 1)[];
}

const exact = (v: number | bigint) => typeof v === 'number' || (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER));

export function encodeChunk(points: PointColumns): Buffer {
  const n = points.values.length;
  const safe = points.timestamps.every(exact) && points.steps.every(exact);
  // Buffer.alloc is never pooled: its memory starts at offset 0, aligned for the typed arrays.
  const buf = Buffer.alloc(HEADER + 24 * n);
  buf[0] = safe ? SAFE : INT64;
  const values = new Float64Array(buf.buffer, buf.byteOffset + HEADER + 16 * n, n);
  for (let i = 0; i < n; i++) values[i] = points.isNan[i] ? Number.NaN : points.values[i];
  if (safe) {
    const ts = new Float64Array(buf.buffer, buf.byteOffset + HEADER, n);
    const st = new Float64Array(buf.buffer, buf.byteOffset + HEADER + 8 * n, n);
    for (let i = 0; i < n; i++) {
      ts[i] = Number(points.timestamps[i]);
      st[i] = Number(points.steps[i]);
    }
  } else {
    const ts = new BigInt64Array(buf.buffer, buf.byteOffset + HEADER, n);
    const st = new BigInt64Array(buf.buffer, buf.byteOffset + HEADER + 8 * n, n);
    for (let i = 0; i < n; i++) {
      ts[i] = BigInt(points.timestamps[i]);
      st[i] = BigInt(points.steps[i]);
    }
  }
  return buf;
}

/** A decoded chunk: typed-array views, plus accessors that give numbers where exact. */
export interface DecodedChunk {
  length: number;
  timestamp(i: number): number | bigint;
  step(i: number): number | bigint;
  /** The stored value: NaN for a NaN point. */
  value(i: number): number;
}

const MIN = BigInt(Number.MIN_SAFE_INTEGER);
const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const narrow = (v: bigint): number | bigint => (v >= MIN && v <= MAX ? Number(v) : v);

export function decodeChunk(blob: Uint8Array, n: number): DecodedChunk {
  if (blob.byteLength !== HEADER + 24 * n) throw new Error(`metric chunk of ${blob.byteLength} bytes cannot hold ${n} points`);
  // Typed arrays need 8-byte alignment; the driver's buffers usually have it, a copy fixes the rest.
  const bytes = blob.byteOffset % 8 === 0 ? blob : new Uint8Array(blob);
  const values = new Float64Array(bytes.buffer, bytes.byteOffset + HEADER + 16 * n, n);
  if (bytes[0] === SAFE) {
    const ts = new Float64Array(bytes.buffer, bytes.byteOffset + HEADER, n);
    const st = new Float64Array(bytes.buffer, bytes.byteOffset + HEADER + 8 * n, n);
    return { length: n, timestamp: (i) => ts[i], step: (i) => st[i], value: (i) => values[i] };
  }
  if (bytes[0] !== INT64) throw new Error(`unknown metric chunk format ${bytes[0]}`);
  const ts = new BigInt64Array(bytes.buffer, bytes.byteOffset + HEADER, n);
  const st = new BigInt64Array(bytes.buffer, bytes.byteOffset + HEADER + 8 * n, n);
  return { length: n, timestamp: (i) => narrow(ts[i]), step: (i) => narrow(st[i]), value: (i) => values[i] };
}
