import type { HistoryColumns, StoredPoint } from '@trove/store';

/**
 * JSON of metric history points as MLflow's `Metric` messages: `{"key","value","timestamp","step"}`
 * (then model and dataset ids where stored, and the run id for the bulk APIs), NaN as "NaN".
 */

/** Writes a point as JSON text directly, for pages holding int64 beyond 2^53 (JSON.stringify cannot write BigInt). */
function pointJson(keyJson: string, p: StoredPoint, runIdJson?: string): string {
  const value = p.is_nan ? '"NaN"' : String(p.value);
  let s = `{"key":${keyJson},"value":${value},"timestamp":${p.timestamp},"step":${p.step}`;
  if (p.model_id !== null) s += `,"model_id":${JSON.stringify(p.model_id)}`;
  if (p.dataset_name !== null) s += `,"dataset_name":${JSON.stringify(p.dataset_name)}`;
  if (p.dataset_digest !== null) s += `,"dataset_digest":${JSON.stringify(p.dataset_digest)}`;
  if (runIdJson) s += `,"run_id":${runIdJson}`;
  return `${s}}`;
}

/**
 * A JSON array of point objects. JSON.stringify over plain objects is about twice as fast as
 * building the text by hand (measured on 25k-point pages), but cannot write BigInt: the rare page
 * holding int64 beyond 2^53 takes the hand-built path.
 */
export function pointsJson(key: string, rows: StoredPoint[], runId?: string): string {
  if (!rows.every((p) => typeof p.timestamp === 'number' && typeof p.step === 'number')) {
    const keyJson = JSON.stringify(key);
    const runJson = runId === undefined ? undefined : JSON.stringify(runId);
    return `[${rows.map((p) => pointJson(keyJson, p, runJson)).join(',')}]`;
  }
  return JSON.stringify(
    rows.map((p) => {
      const o: Record<string, unknown> = {
        key,
        value: p.is_nan ? 'NaN' : p.value,
        timestamp: p.timestamp,
        step: p.step,
      };
      if (p.model_id !== null) o.model_id = p.model_id;
      if (p.dataset_name !== null) o.dataset_name = p.dataset_name;
      if (p.dataset_digest !== null) o.dataset_digest = p.dataset_digest;
      if (runId !== undefined) o.run_id = runId;
      return o;
    }),
  );
}

const TIMESTAMP = Buffer.from(',"timestamp":');
const STEP = Buffer.from(',"step":');
const NAN = Buffer.from('"NaN"');
/** The longest a number takes here: a double's shortest form ("-1.7976931348623157e+308"), an int64. */
const NUMBER_MAX = 24;

/**
 * `{"metrics":[…]…}` for the first `count` points of a columns page: the bytes pointsJson's text
 * encodes to, written straight into one buffer (no object per point, no string to encode; 25k
 * points in ~10 ms where objects, JSON.stringify and encoding took ~25). `rest` follows the array
 * (`,"next_page_token":"…"`, or nothing); `count` is at least 1.
 */
export function columnsBody(key: string, page: HistoryColumns, count: number, rest: string): Buffer {
  const keyJson = JSON.stringify(key);
  const first = Buffer.from(`{"metrics":[{"key":${keyJson},"value":`);
  const next = Buffer.from(`},{"key":${keyJson},"value":`);
  const end = Buffer.from(`}]${rest}}`);
  const perPoint = next.length + TIMESTAMP.length + STEP.length + 3 * NUMBER_MAX;
  const w = new AsciiWriter(first.length + count * perPoint + end.length);
  const { timestamps, steps, values } = page;
  const wide = timestamps instanceof BigInt64Array;
  for (let i = 0; i < count; i++) {
    w.bytes(i === 0 ? first : next);
    const v = values[i];
    if (Number.isNaN(v)) w.bytes(NAN);
    else w.text(`${v}`);
    w.bytes(TIMESTAMP);
    if (wide) w.text(`${timestamps[i]}`);
    else w.integer(timestamps[i] as number);
    w.bytes(STEP);
    if (wide) w.text(`${steps[i]}`);
    else w.integer(steps[i] as number);
  }
  w.bytes(end);
  return w.done();
}

/** Two ASCII digits per number below 100. */
const PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''));

/** Writes ASCII into a buffer sized for the worst case. */
class AsciiWriter {
  private readonly out: Buffer;
  private p = 0;
  /** The digits above the last 8 of the previous integer: consecutive timestamps share them. */
  private high = -1;
  private highDigits: Buffer = Buffer.alloc(0);

  constructor(size: number) {
    this.out = Buffer.allocUnsafe(size);
  }

  bytes(b: Uint8Array): void {
    this.out.set(b, this.p);
    this.p += b.length;
  }

  /** Text known to be ASCII (a number's digits), one byte a character. */
  text(s: string): void {
    const out = this.out;
    let p = this.p;
    for (let j = 0; j < s.length; j++) out[p++] = s.charCodeAt(j);
    this.p = p;
  }

  /**
   * An integer exact in a double, as String() writes it: the last 8 digits in int32 arithmetic, the
   * digits above them cached (a 13-digit timestamp through String() costs ~3x as much).
   */
  integer(x: number): void {
    if (x < 0) {
      this.out[this.p++] = 45;
      x = -x;
    }
    if (x < 1e8) {
      this.small(x);
      return;
    }
    const high = Math.floor(x / 1e8);
    if (high !== this.high) {
      this.high = high;
      this.highDigits = Buffer.from(String(high));
    }
    this.bytes(this.highDigits);
    this.eight(x - high * 1e8);
  }

  /** 0 <= u < 1e8, without leading zeros. */
  private small(u: number): void {
    const len = u < 10 ? 1 : u < 100 ? 2 : u < 1e3 ? 3 : u < 1e4 ? 4 : u < 1e5 ? 5 : u < 1e6 ? 6 : u < 1e7 ? 7 : 8;
    const out = this.out;
    let q = this.p + len;
    while (u >= 100) {
      const r = u % 100;
      u = (u / 100) | 0;
      out[--q] = PAIRS[2 * r + 1];
      out[--q] = PAIRS[2 * r];
    }
    if (u >= 10) {
      out[--q] = PAIRS[2 * u + 1];
      out[--q] = PAIRS[2 * u];
    } else out[--q] = 48 + u;
    this.p += len;
  }

  /** 0 <= u < 1e8 as exactly 8 digits. */
  private eight(u: number): void {
    const out = this.out;
    for (let q = this.p + 8; q > this.p; ) {
      const r = u % 100;
      u = (u / 100) | 0;
      out[--q] = PAIRS[2 * r + 1];
      out[--q] = PAIRS[2 * r];
    }
    this.p += 8;
  }

  done(): Buffer {
    return this.out.subarray(0, this.p);
  }
}
