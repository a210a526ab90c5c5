import { invalidParam, type TroveError } from './errors.ts';

// The lexer of Trove's search filter grammar (MLflow's, plus OR and parentheses), once for the
// store's parser and the UI's filter box. Strict mode (the parser) refuses malformed input with
// MLflow's INVALID_PARAMETER_VALUE; tolerant mode (autocomplete over half-typed text) never throws.

export type FilterTokenKind = 'ident' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface FilterToken {
  kind: FilterTokenKind;
  /** Source text of the token. */
  text: string;
  /** 0-based offset in the source. */
  pos: number;
  /** Offset just past the token (`pos + text.length`). */
  end: number;
  /** Decoded string contents, or the key of an identifier. */
  value: string;
  /** For identifiers: the part before the first dot, or null for a bare word. */
  prefix: string | null;
  /** For identifiers and strings: the quote character used (backtick, ' or "), if any. */
  quote: string | null;
  /** Tolerant mode only: a quote left unclosed, which runs to the end of the source. */
  open?: boolean;
}

export interface TokenizeOptions {
  /**
   * Never throw: an unclosed quote runs to the end (marked `open`), `prefix.` with no key gives an
   * empty key, a malformed number is a number token for what matched, unknown characters are
   * skipped, and any run of `=!<>` is one operator token.
   */
  tolerant?: boolean;
}

/** Builds the INVALID_PARAMETER_VALUE error for a problem at a 0-based offset of `source`. */
export function filterSyntaxError(what: string, source: string, pos: number, problem: string): TroveError {
  return invalidParam(`Invalid ${what} '${source}': ${problem} (at position ${pos + 1})`);
}

const IDENT_START = /[A-Za-z_]/;
const WORD_CHAR = /\w/;
// After "prefix." an unquoted key may also hold dots and the separators common in metric names.
const KEY_CHAR = /[\w.\-/:]/;
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/;
const OPS = ['!=', '>=', '<=', '<>', '==', '=', '<', '>'];
const OP_CHAR = /[=!<>]/;

/**
 * Splits a filter into tokens, ending with an `eof` token. `what` names the input in strict mode's
 * errors ("Invalid filter '...': ... (at position N)").
 */
export function tokenizeFilter(source: string, what: string, options: TokenizeOptions = {}): FilterToken[] {
  const tolerant = options.tolerant === true;
  const tokens: FilterToken[] = [];
  const fail = (pos: number, problem: string) => filterSyntaxError(what, source, pos, problem);
  const push = (
    kind: FilterTokenKind,
    pos: number,
    end: number,
    value: string,
    prefix: string | null = null,
    quote: string | null = null,
    open = false,
  ) => {
    const token: FilterToken = { kind, text: source.slice(pos, end), pos, end, value, prefix, quote };
    if (open) token.open = true;
    tokens.push(token);
  };

  /** Reads a quoted run starting at `start` (the quote). */
  const readQuoted = (start: number): { value: string; end: number; open: boolean } => {
    const q = source[start];
    let out = '';
    let i = start + 1;
    while (i < source.length) {
      const c = source[i];
      if (c === q) {
        if (source[i + 1] === q) {
          out += q;
          i += 2;
          continue;
        }
        return { value: out, end: i + 1, open: false };
      }
      // Backslash escapes only the quote characters and itself; anything else stays verbatim so
      // that LIKE patterns keep their own `\%` / `\_` escapes.
      if (c === '\\' && q !== '`' && (source[i + 1] === "'" || source[i + 1] === '"' || source[i + 1] === '\\')) {
        out += source[i + 1];
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
    if (tolerant) return { value: out, end: source.length, open: true };
    throw fail(start, `unterminated ${q === '`' ? 'backtick-quoted identifier' : 'quoted string'}`);
  };

  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      const s = readQuoted(i);
      push('string', i, s.end, s.value, null, c, s.open);
      i = s.end;
    } else if (c === '`') {
      const s = readQuoted(i);
      push('ident', i, s.end, s.value, null, '`', s.open);
      i = s.end;
    } else if (c === '(' || c === ')' || c === ',') {
      push(c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', i, i + 1, c);
      i++;
    } else if (IDENT_START.test(c)) {
      let end = i;
      while (end < source.length && WORD_CHAR.test(source[end])) end++;
      const word = source.slice(i, end);
      if (source[end] !== '.') {
        push('ident', i, end, word);
        i = end;
        continue;
      }
      const keyStart = end + 1;
      const q = source[keyStart];
      if (q === '`' || q === '"') {
        const s = readQuoted(keyStart);
        push('ident', i, s.end, s.value, word, q, s.open);
        i = s.end;
        continue;
      }
      let keyEnd = keyStart;
      while (keyEnd < source.length && KEY_CHAR.test(source[keyEnd])) keyEnd++;
      if (keyEnd === keyStart && !tolerant) throw fail(keyStart, `expected a key after '${word}.'`);
      push('ident', i, keyEnd, source.slice(keyStart, keyEnd), word);
      i = keyEnd;
    } else if (/[-+.\d]/.test(c)) {
      const m = NUMBER.exec(source.slice(i));
      if (tolerant) {
        // What matched, else the one character, so the text after it is still read.
        const end = m ? i + m[0].length : i + 1;
        push('number', i, end, source.slice(i, end));
        i = end;
        continue;
      }
      if (!m) throw fail(i, `unexpected character '${c}'`);
      const end = i + m[0].length;
      if (end < source.length && /[\w.]/.test(source[end]))
        throw fail(i, `malformed number '${source.slice(i, end + 1)}'`);
      push('number', i, end, m[0]);
      i = end;
    } else if (tolerant) {
      if (OP_CHAR.test(c)) {
        let end = i + 1;
        while (end < source.length && OP_CHAR.test(source[end])) end++;
        push('op', i, end, source.slice(i, end));
        i = end;
      } else i++;
    } else {
      const op = OPS.find((o) => source.startsWith(o, i));
      if (!op) throw fail(i, `unexpected character '${c}'`);
      push('op', i, i + op.length, op);
      i += op.length;
    }
  }
  push('eof', source.length, source.length, '');
  return tokens;
}
