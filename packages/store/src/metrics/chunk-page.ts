import { pointAt } from './chunk-points.ts';
import { compareHistory } from './metric-point.ts';
import type { HistoryColumns, HistoryCursor, StoredPoint } from './metric-reader.ts';
import { columnBytes, decodeChunk, storesFloat64 } from './point-chunk.ts';

/** Points [from, to) of a chunk blob holding `n`. */
interface ChunkSlice {
  data: Uint8Array;
  n: number;
  from: number;
  to: number;
}

// The chunk layout is little-endian; copying its bytes into typed arrays needs a little-endian host.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * One history page of a chunked series, gathered from its chunks in history order: the points
 * after the cursor, at most `max`. Chunks are kept as slices of their blobs until the page is
 * complete; the page then comes out as point objects or, for the server's JSON writer, as columns
 * copied out of the blobs without one object per point.
 */
export class ChunkPage {
  private readonly slices: ChunkSlice[] = [];
  private pastCursor: boolean;
  /** Points gathered so far. */
  count = 0;

  constructor(
    readonly max: number,
    private readonly after: HistoryCursor | undefined,
  ) {
    this.pastCursor = after === undefined;
  }

  get full(): boolean {
    return this.count >= this.max;
  }

  /** Takes the next chunk's points (those after the cursor, up to `max`); true once the page is full. */
  add(n: number, data: Uint8Array): boolean {
    if (this.full) return true;
    // Checks the blob's size and format even where no point of it is read here.
    const c = decodeChunk(data, n);
    let from = 0;
    if (!this.pastCursor) {
      // Points are in history order: only the first chunk(s) can hold points at or before the cursor.
      const cursor = this.after as HistoryCursor;
      while (from < n) {
        const v = c.value(from);
        const nan = Number.isNaN(v);
        const key = { timestamp: c.timestamp(from), step: c.step(from), isNan: nan ? 1 : 0, value: v };
        if (compareHistory(key, cursor) > 0) break;
        from++;
      }
      this.pastCursor = from < n;
    }
    const to = Math.min(n, from + (this.max - this.count));
    if (to > from) {
      this.slices.push({ data, n, from, to });
      this.count += to - from;
    }
    return this.full;
  }

  points(): StoredPoint[] {
    const out: StoredPoint[] = [];
    for (const s of this.slices) {
      const c = decodeChunk(s.data, s.n);
      for (let i = s.from; i < s.to; i++) out.push(pointAt(c, i));
    }
    return out;
  }

  /**
   * The page as columns. Float64 columns when every chunk stores its ints as float64 (each exact),
   * else BigInt64 columns for the page (a chunk of int64 beyond 2^53 is rare).
   */
  columns(): HistoryColumns {
    const length = this.count;
    const values = new Float64Array(length);
    const wide = this.slices.some((s) => !storesFloat64(s.data));
    const timestamps = wide ? new BigInt64Array(length) : new Float64Array(length);
    const steps = wide ? new BigInt64Array(length) : new Float64Array(length);
    let k = 0;
    for (const s of this.slices) {
      // A slice stored as the page's columns are (float64 or int64) is copied as bytes.
      if (LITTLE_ENDIAN && storesFloat64(s.data) === !wide) {
        copyColumn(s, 0, timestamps, k);
        copyColumn(s, 1, steps, k);
        copyColumn(s, 2, values, k);
      } else {
        const c = decodeChunk(s.data, s.n);
        for (let i = s.from, j = k; i < s.to; i++, j++) {
          const t = c.timestamp(i);
          const st = c.step(i);
          if (wide) {
            (timestamps as BigInt64Array)[j] = BigInt(t);
            (steps as BigInt64Array)[j] = BigInt(st);
          } else {
            (timestamps as Float64Array)[j] = t as number;
            (steps as Float64Array)[j] = st as number;
          }
          values[j] = c.value(i);
        }
      }
      k += s.to - s.from;
    }
    return { length, timestamps, steps, values } as HistoryColumns;
  }
}

/** Copies column `col` of a slice's blob (8-byte little-endian cells) into `into` at `at`, as bytes. */
function copyColumn(s: ChunkSlice, col: 0 | 1 | 2, into: Float64Array | BigInt64Array, at: number): void {
  const bytes = columnBytes(s.data, s.n, col, s.from, s.to);
  new Uint8Array(into.buffer, into.byteOffset + 8 * at, bytes.byteLength).set(bytes);
}
