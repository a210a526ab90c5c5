import { describe, expect, it } from 'vitest';
import { experimentFilter } from '../src/lib/experiment-filter.ts';
import { contrast, luminance, TAG_PALETTE, textColorOn } from '../src/lib/tag-color.ts';

describe('tag chip colours', () => {
  it('computes WCAG luminance of #rrggbb and nothing else', () => {
    expect(luminance('#000000')).toBe(0);
    expect(luminance('#FFFFFF')).toBeCloseTo(1);
    expect(luminance('red')).toBeUndefined();
    expect(luminance('#fff')).toBeUndefined();
  });

  it('picks black on light backgrounds and white on dark ones', () => {
    expect(textColorOn('#ffff00')).toBe('#000000');
    expect(textColorOn('#1e3a8a')).toBe('#ffffff');
    expect(textColorOn('not a colour')).toBe('#000000');
  });

  it('keeps every palette colour readable (contrast ≥ 4.5 with its text colour)', () => {
    for (const c of TAG_PALETTE) {
      const text = textColorOn(c) === '#000000' ? 0 : 1;
      expect(contrast(luminance(c)!, text), c).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('experiments filter', () => {
  it('combines name and tag conditions', () => {
    expect(experimentFilter('', '')).toBe('');
    expect(experimentFilter(' res ', '')).toBe("name ILIKE '%res%'");
    expect(experimentFilter('', 'team=vision')).toBe("tags.team = 'vision'");
    expect(experimentFilter('a', 'team')).toBe("name ILIKE '%a%' AND tags.team LIKE '%'");
    expect(experimentFilter('', "owner name = it's")).toBe("tags.`owner name` = 'it''s'");
    expect(experimentFilter('', '=x')).toBe('');
  });
});
