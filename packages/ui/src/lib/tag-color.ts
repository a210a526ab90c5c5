/** Tag chip colours: the text colour that stays readable on a chosen background. Pure. */

const HEX = /^#([0-9a-f]{6})$/i;

/** WCAG relative luminance of `#rrggbb`, or `undefined` for anything else. */
export function luminance(hex: string): number | undefined {
  const m = HEX.exec(hex);
  if (!m) return undefined;
  const channel = (i: number) => {
    const c = Number.parseInt(m[1].slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/** WCAG contrast ratio of two luminances. */
export function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** Black or white, whichever contrasts more with `background` (`#rrggbb`). */
export function textColorOn(background: string): '#000000' | '#ffffff' {
  const l = luminance(background);
  if (l === undefined) return '#000000';
  return contrast(l, 0) >= contrast(l, 1) ? '#000000' : '#ffffff';
}

/** Colours offered first on the tags page; any other can be picked. */
export const TAG_PALETTE = [
  '#2563eb',
  '#16a34a',
  '#dc2626',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#4b5563',
] as const;
