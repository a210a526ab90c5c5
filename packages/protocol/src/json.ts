/**
 * Deepest nesting of arrays and objects a document may have. Python's json (so MLflow) stops near
 * its recursion limit of 1000; the cap keeps every walk over a request value, here and in the
 * services, far from the stack's end, so a deep body is a 400 and never a stack overflow.
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * JSON with int64 fidelity. JSON.parse rounds integers above 2^53; MLflow steps and timestamps
 * are int64, so a body in which the native parser met such an integer is parsed again by a small
 * parser that keeps those integers as BigInt. Everything else keeps the native result (the common,
 * fast case).
 *
 * Python's json (the MLflow client) writes NaN and ±Infinity as the bare tokens `NaN`, `Infinity`
 * and `-Infinity`, which JSON.parse rejects; a document the native parser refuses is read again by
 * the small parser, which accepts those three tokens (as Python's json.loads, so MLflow's server,
 * does) wherever a value may stand. The decoder then takes them only where a double is expected.
 */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (!NON_FINITE_TOKEN.test(text)) throw e;
    try {
      return new BigIntJsonParser(text).parseDocument();
    } catch (e2) {
      // Not Python's dialect either: the error says why (the native one for plainly broken JSON).
      throw e2 instanceof JsonDepthError ? e2 : e;
    }
  }
  return holdsRoundedInteger(value, 0) ? new BigIntJsonParser(text).parseDocument() : value;
}

const NON_FINITE_TOKEN = /NaN|Infinity/;

/**
 * The number as the client wrote it (`9.0`, `1e3`) for a top-level field of a JSON object, or
 * undefined. Error messages quote it so, as MLflow's (Python keeps `9.0` a float) do; parsing
 * again is only done on that error path.
 */
export function topLevelNumberText(text: string, field: string): string | undefined {
  try {
    const parser = new BigIntJsonParser(text, new Map());
    parser.parseDocument();
    return parser.topLevelNumbers?.get(field);
  } catch {
    return undefined;
  }
}

/** A document nested deeper than {@link MAX_JSON_DEPTH}: a SyntaxError, so a 400 like any bad JSON. */
class JsonDepthError extends SyntaxError {}

/**
 * Whether the native parser produced an integer beyond 2^53 (so possibly rounded), or nesting
 * deeper than {@link MAX_JSON_DEPTH} (which the second parser then rejects). Walking the parsed
 * value costs about a third of scanning the text for long digit runs (measured on 1000-point
 * log-batch bodies: 40 µs against 135 µs). Exponent forms such as 1e20 also land here; the
 * second parser returns them as numbers, as JSON.parse does.
 */
function holdsRoundedInteger(v: unknown, depth: number): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v);
  if (v === null || typeof v !== 'object') return false;
  if (depth >= MAX_JSON_DEPTH) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (holdsRoundedInteger(v[i], depth + 1)) return true;
    return false;
  }
  for (const k in v) if (holdsRoundedInteger((v as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}

const NUMBER_RE = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class BigIntJsonParser {
  private i = 0;
  private depth = 0;
  /** When given, collects the source text of each number directly inside the top-level object. */
  constructor(
    private readonly s: string,
    readonly topLevelNumbers?: Map<string, string>,
  ) {}

  parseDocument(): unknown {
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail();
    return v;
  }

  private fail(): never {
    throw new SyntaxError(`Unexpected token in JSON at position ${this.i}`);
  }

  private enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) {
      throw new JsonDepthError(`JSON nested more than ${MAX_JSON_DEPTH} levels deep at position ${this.i}`);
    }
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  private value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    if (c === 'N') return this.literal('NaN', Number.NaN);
    if (c === 'I') return this.literal('Infinity', Number.POSITIVE_INFINITY);
    if (c === '-' && this.s[this.i + 1] === 'I') return this.literal('-Infinity', Number.NEGATIVE_INFINITY);
    return this.number();
  }

  private literal<T>(word: string, v: T): T {
    if (this.s.startsWith(word, this.i)) {
      this.i += word.length;
      return v;
    }
    return this.fail();
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.enter();
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      this.depth--;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail();
      const k = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') this.fail();
      this.ws();
      const at = this.i;
      const v = this.value();
      if (this.topLevelNumbers && this.depth === 1 && (typeof v === 'number' || typeof v === 'bigint'))
        this.topLevelNumbers.set(k, this.s.slice(at, this.i));
      // An own property, as JSON.parse makes it: assigning `__proto__` would set the prototype.
      if (k === '__proto__')
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else out[k] = v;
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') {
        this.depth--;
        return out;
      }
      if (c !== ',') this.fail();
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.enter();
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      this.depth--;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') {
        this.depth--;
        return out;
      }
      if (c !== ',') this.fail();
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.s.charCodeAt(this.i);
      if (Number.isNaN(c)) this.fail();
      if (c === 34) break;
      if (c === 92) this.i++;
      this.i++;
    }
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  private number(): number | bigint {
    // Sticky, over the whole text: a number of any length (a window would cut a 500-digit one).
    NUMBER_RE.lastIndex = this.i;
    const m = NUMBER_RE.exec(this.s);
    if (!m) this.fail();
    this.i += m[0].length;
    const n = Number(m[0]);
    if (!m[2] && !m[3] && !Number.isSafeInteger(n)) return BigInt(m[0]);
    return n;
  }
}

const BIG_MARK = '\u0000big:';
const BIG_MARK_RE = /"\\u0000big:(-?\d+)"/g;

/**
 * Serialises a response. Entities are mapped to JSON-ready values beforehand (NaN already
 * turned into "NaN"), so the native stringify serves nearly every call; BigInt values fall
 * back to a replacer that writes them as bare JSON numbers.
 */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? BIG_MARK + v.toString() : v));
    return text.replace(BIG_MARK_RE, '$1');
  }
}
