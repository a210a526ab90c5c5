import { describe, expect, it } from 'vitest';
import { colorForId, PALETTE } from '../src/charts/palette.ts';
import { runColor } from '../src/lib/run-colors.ts';

const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

describe('run colours', () => {
  it('come from the run id, not its position: the same id always gets the same colour', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `${(i * 7919).toString(16).padStart(8, '0')}abcdef0123456789`);
    const first = ids.map(colorForId);
    expect([...ids].reverse().map(colorForId)).toEqual([...first].reverse());
    expect(colorForId(ids[0])).toBe(first[0]);
    // 200 ids spread over the whole palette rather than a few colours.
    expect(new Set(first).size).toBe(PALETTE.length);
  });

  it('a chosen colour wins over the id colour', () => {
    expect(runColor('abc', { abc: '#123456' })).toBe('#123456');
    expect(runColor('abc', {})).toBe(colorForId('abc'));
  });

  it('the palette has 20+ distinct colours, each at least 3:1 against both themes’ backgrounds', () => {
    expect(new Set(PALETTE).size).toBeGreaterThanOrEqual(20);
    for (const c of PALETTE)
      for (const bg of ['#ffffff', '#f5f7fa', '#0f141b', '#1b222c'])
        expect(contrast(c, bg), `${c} on ${bg}`).toBeGreaterThanOrEqual(3);
  });
});
