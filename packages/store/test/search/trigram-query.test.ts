import { describe, expect, it } from 'vitest';
import { parseLikePattern } from '../../src/search/like-pattern.ts';
import { trigramQuery } from '../../src/trace-drivers.ts';

const q = (pattern: string) => trigramQuery(parseLikePattern(pattern));

describe('trigramQuery (the FTS5 pre-selection of a LIKE pattern)', () => {
  it('ANDs the trigrams of every literal run of 3+ characters', () => {
    expect(q('%refund%')).toBe('"ref" AND "efu" AND "fun" AND "und"');
    expect(q('%abc%xy%def')).toBe('"abc" AND "def"');
    expect(q('ref_nd%')).toBe('"ref"');
    expect(q('%abab%')).toBe('"aba" AND "bab"');
  });

  it('has none when no run is long enough', () => {
    expect(q('%ab%')).toBeUndefined();
    expect(q('a_b_c')).toBeUndefined();
    expect(q('%')).toBeUndefined();
  });

  it('quotes FTS5 syntax characters and counts characters, not UTF-16 units', () => {
    expect(q('%a"bc%')).toBe('"a""b" AND """bc"');
    expect(q('%a*b OR c%')).toBe('"a*b" AND "*b " AND "b O" AND " OR" AND "OR " AND "R c"');
    expect(q('%é😀x%')).toBe('"é😀x"');
    expect(q('%100\\%%')).toBe('"100" AND "00%"');
  });
});
