import { describe, expect, it } from 'vitest';
import { type FilterToken, tokenizeFilter } from '../src/filter-lexer.ts';

const tolerant = (source: string) => tokenizeFilter(source, 'filter', { tolerant: true });
const brief = (tokens: FilterToken[]) =>
  tokens.map((t) => [t.kind, t.value, t.pos, t.end, ...(t.open ? ['open'] : [])]);

describe('tokenizeFilter', () => {
  it('strict: tokens with their text, offsets, prefix and quote, then eof', () => {
    const tokens = tokenizeFilter("metrics.acc >= 0.9 and tags.`a b` = 'x''y'", 'filter');
    expect(tokens.map((t) => [t.kind, t.text, t.pos, t.end, t.value, t.prefix, t.quote])).toEqual([
      ['ident', 'metrics.acc', 0, 11, 'acc', 'metrics', null],
      ['op', '>=', 12, 14, '>=', null, null],
      ['number', '0.9', 15, 18, '0.9', null, null],
      ['ident', 'and', 19, 22, 'and', null, null],
      ['ident', 'tags.`a b`', 23, 33, 'a b', 'tags', '`'],
      ['op', '=', 34, 35, '=', null, null],
      ['string', "'x''y'", 36, 42, "x'y", null, "'"],
      ['eof', '', 42, 42, '', null, null],
    ]);
    expect(tokens.some((t) => 'open' in t)).toBe(false);
  });

  it("strict: refuses malformed input with the position's message", () => {
    expect(() => tokenizeFilter("name = 'abc", 'filter')).toThrow(
      "Invalid filter 'name = 'abc': unterminated quoted string (at position 8)",
    );
    expect(() => tokenizeFilter('metrics. > 1', 'filter')).toThrow("expected a key after 'metrics.' (at position 9)");
    expect(() => tokenizeFilter('a = 1.2.3', 'filter')).toThrow("malformed number '1.2.' (at position 5)");
    expect(() => tokenizeFilter('a ! 1', 'filter')).toThrow("unexpected character '!' (at position 3)");
    expect(() => tokenizeFilter('a ~ 1', 'order_by')).toThrow(
      "Invalid order_by 'a ~ 1': unexpected character '~' (at position 3)",
    );
  });

  it('strict: <> and == are operators; backslash escapes quotes', () => {
    expect(
      tokenizeFilter('a <> 1 and b == 2', 'filter')
        .filter((t) => t.kind === 'op')
        .map((t) => t.value),
    ).toEqual(['<>', '==']);
    expect(tokenizeFilter(String.raw`'a\'b'`, 'filter')[0].value).toBe("a'b");
  });

  it('tolerant: an unclosed quote runs to the end and is marked open', () => {
    expect(brief(tolerant("tags.x = 'ab"))).toEqual([
      ['ident', 'x', 0, 6],
      ['op', '=', 7, 8],
      ['string', 'ab', 9, 12, 'open'],
      ['eof', '', 12, 12],
    ]);
    expect(brief(tolerant('params.`lr'))).toEqual([
      ['ident', 'lr', 0, 10, 'open'],
      ['eof', '', 10, 10],
    ]);
    expect(tolerant('`my key')[0]).toMatchObject({
      kind: 'ident',
      prefix: null,
      quote: '`',
      value: 'my key',
      open: true,
    });
  });

  it('tolerant: prefix. with no key gives an empty key', () => {
    expect(tolerant('metrics.')[0]).toMatchObject({ kind: 'ident', prefix: 'metrics', value: '', pos: 0, end: 8 });
    expect(brief(tolerant("tags.'x'"))).toEqual([
      ['ident', '', 0, 5],
      ['string', 'x', 5, 8],
      ['eof', '', 8, 8],
    ]);
  });

  it('tolerant: a malformed number is a number token for what matched', () => {
    expect(brief(tolerant('1.2.3'))).toEqual([
      ['number', '1.2', 0, 3],
      ['number', '.3', 3, 5],
      ['eof', '', 5, 5],
    ]);
    expect(brief(tolerant('12abc'))).toEqual([
      ['number', '12', 0, 2],
      ['ident', 'abc', 2, 5],
      ['eof', '', 5, 5],
    ]);
    expect(brief(tolerant('- 1'))).toEqual([
      ['number', '-', 0, 1],
      ['number', '1', 2, 3],
      ['eof', '', 3, 3],
    ]);
  });

  it('tolerant: unknown characters are skipped; a half-typed operator is an operator', () => {
    expect(brief(tolerant('a ~ $b'))).toEqual([
      ['ident', 'a', 0, 1],
      ['ident', 'b', 5, 6],
      ['eof', '', 6, 6],
    ]);
    expect(brief(tolerant('a !'))).toEqual([
      ['ident', 'a', 0, 1],
      ['op', '!', 2, 3],
      ['eof', '', 3, 3],
    ]);
    expect(
      tolerant('a =!<> 1')
        .filter((t) => t.kind === 'op')
        .map((t) => t.value),
    ).toEqual(['=!<>']);
  });

  it('tolerant: never throws, and every token ends where its text does', () => {
    for (const source of [
      "'",
      '`',
      'tags.',
      'tags."',
      '1e',
      '+',
      '!',
      '\\',
      "a = 'x\\",
      'metrics.a.b-c/d:e < 1e-3',
      '((a=1) or b != "c")',
    ]) {
      const tokens = tolerant(source);
      expect(tokens.at(-1)?.kind).toBe('eof');
      for (const t of tokens) expect(t.end).toBe(t.pos + t.text.length);
    }
  });
});
