import type { RawIdentifier } from './ast.ts';
import { syntaxError, type Token, tokenize } from './filter-lexer.ts';

/** Cursor over the tokens of one filter or order_by string, shared by both parsers. */
export class TokenStream {
  private readonly tokens: Token[];
  private index = 0;

  constructor(
    readonly source: string,
    readonly what: string,
  ) {
    this.tokens = tokenize(source, what);
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.index++;
    return t;
  }

  fail(token: Token, problem: string): Error {
    return syntaxError(this.what, this.source, token.pos, problem);
  }

  /** True when the next token is the (case-insensitive) bare keyword `word`. */
  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.prefix === null && t.quote === null && t.value.toUpperCase() === word;
  }

  /** An identifier: `prefix.key`, a bare word, or a bare backtick/double-quoted key. */
  identifier(): RawIdentifier {
    const t = this.next();
    if (t.kind === 'ident' || (t.kind === 'string' && t.quote === '"'))
      return { prefix: t.prefix, key: t.value, pos: t.pos };
    throw this.fail(t, `expected an identifier such as metrics.<key>, found ${describe(t)}`);
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'eof') throw this.fail(t, `unexpected ${describe(t)}`);
  }
}

export function describe(t: Token): string {
  return t.kind === 'eof' ? 'end of input' : `'${t.text}'`;
}
