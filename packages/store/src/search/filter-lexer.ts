import { invalidParam, type TroveError } from '@trove/protocol';

export type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  /** 0-based offset in the source. */
  pos: number;
  /** Decoded string contents, or the key of an identifier. */
  value: string;
  /** For identifiers: the part before the first dot, or null for a bare word. */
  prefix: string | null;
  /** For identifiers and strings: the quote character used (backtick, ' or "), if any. */
  quote: string | null;
}

/** Builds the INVALID_PARAMETER_VALUE error for a problem at a 0-based offset of `source`. */
export function syntaxError(what: string, source: string, pos: number, problem: string): TroveError {
  return invalidParam(`Invalid ${what} '${source}': ${problem} (at position ${pos + 1})`);
}

const IDENT_START = /[A-Za-z_]/;
const WORD_CHAR = /\w/;
// After "prefix." an unquoted key may also hold dots and the separators common in metric names.
const KEY_CHAR = /[\w.\-/:]/;
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/;
const OPS = ['!=', '>=', '<=', '<>', '==', '=', '<', '>'];

export function tokenize(source: string, what: string): Token[] {
  const tokens: Token[] = [];
  const fail = (pos: number, problem: string) => syntaxError(what, source, pos, problem);
  const push = (kind: TokenKind, pos: number, end: number, value: string, prefix: string | null = null, quote: string | null = null) =>
    tokens.push({ kind, text: source.slice(pos, end), pos, value, prefix, quote });

  /** Reads a quoted run starting at `start` (the quote); returns [decoded, end offset]. */
  const readQuoted = (start: number): [string, number] => {
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
        return [out, i + 1];
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
    throw fail(start, `unterminated ${q === '`' ? 'backtick-quoted identifier' : 'quoted string'}`);
  };

  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      const [value, end] = readQuoted(i);
      push('string', i, end, value, null, c);
      i = end;
    } else if (c === '`') {
      const [value, end] = readQuoted(i);
      push('ident', i, end, value, null, '`');
      i = end;
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
        const [key, keyEnd] = readQuoted(keyStart);
        push('ident', i, keyEnd, key, word, q);
        i = keyEnd;
        continue;
      }
      let keyEnd = keyStart;
      while (keyEnd < source.length && KEY_CHAR.test(source[keyEnd])) keyEnd++;
      if (keyEnd === keyStart) throw fail(keyStart, `expected a key after '${word}.'`);
      push('ident', i, keyEnd, source.slice(keyStart, keyEnd), word);
      i = keyEnd;
    } else if (/[-+.\d]/.test(c)) {
      const m = NUMBER.exec(source.slice(i));
      if (!m) throw fail(i, `unexpected character '${c}'`);
      const end = i + m[0].length;
      if (end < source.length && /[\w.]/.test(source[end])) throw fail(i, `malformed number '${source.slice(i, end + 1)}'`);
      push('number', i, end, m[0]);
      i = end;
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
