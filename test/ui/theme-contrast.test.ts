import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../packages/ui/src/styles.css', import.meta.url), 'utf8');

/** The theme tokens of one `[data-theme]` block of styles.css. */
function tokens(selector: RegExp): Record<string, string> {
  const block = selector.exec(css)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2]]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5]
    .map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const THEMES = {
  light: tokens(/\[data-theme=["']light["']\]\s*\{([^}]*)\}/),
  dark: tokens(/\[data-theme=["']dark["']\]\s*\{([^}]*)\}/),
};
const TEXT = ['fg', 'fg-muted', 'accent', 'ok', 'warn', 'bad', 'info'];
const SURFACES = ['bg', 'bg-soft', 'bg-raised', 'row-hover', 'row-selected', 'diff-bg', 'accent-soft'];

describe('theme contrast (WCAG AA, 4.5:1 for text)', () => {
  for (const [name, t] of Object.entries(THEMES)) {
    it(`${name}: every text colour on every surface it is drawn on`, () => {
      expect(Object.keys(t).length).toBeGreaterThan(20);
      for (const fg of TEXT)
        for (const bg of SURFACES) expect(contrast(t[fg], t[bg]), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(t['error-fg'], t['error-bg'])).toBeGreaterThanOrEqual(4.5);
      expect(contrast(t['accent-fg'], t.accent), 'primary button').toBeGreaterThanOrEqual(4.5);
    });
  }
});
