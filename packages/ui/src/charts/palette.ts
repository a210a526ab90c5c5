/**
 * Run colours: 12 hues in two lightness steps. Every colour keeps a 3:1 contrast (WCAG's floor for
 * graphics) against both themes' page and panel backgrounds, which bounds its luminance to
 * roughly 0.15–0.28; the test checks it.
 */
export const PALETTE = [
  '#4592de',
  '#e2685d',
  '#1da433',
  '#b570e6',
  '#b78520',
  '#1c9e9e',
  '#e35fa1',
  '#53a01c',
  '#8a81e9',
  '#dc6f39',
  '#1ca175',
  '#e050e0',
  '#106ecb',
  '#d62211',
  '#0a801e',
  '#9e2fee',
  '#92650c',
  '#0a7a7a',
  '#d31172',
  '#3a7d0a',
  '#6255f1',
  '#bc490f',
  '#0a7d57',
  '#c110c1',
] as const;

/** FNV-1a over the id's UTF-16 code units: stable across sessions and machines. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A run's own colour, from its id alone: the same in the table, every chart and the compare page, wherever the run sits. */
export const colorForId = (runId: string): string => PALETTE[hashId(runId) % PALETTE.length];
