/**
 * Run colours chosen by the user, kept in the URL as repeated `color=<runId>:#rrggbb`. A run
 * without a choice takes the palette colour of its position, as the charts give it.
 */
import { colorFor } from '../charts/palette.ts';

const COLOR_RE = /^#[0-9a-fA-F]{6}$/;

export type RunColors = Readonly<Record<string, string>>;

/** `["<runId>:#rrggbb", …]` → run id → colour; malformed entries are dropped. */
export function parseRunColors(list: readonly string[] | null): RunColors {
  const out: Record<string, string> = {};
  for (const entry of list ?? []) {
    const at = entry.lastIndexOf(':');
    const id = entry.slice(0, at);
    const color = entry.slice(at + 1);
    if (at > 0 && COLOR_RE.test(color)) out[id] = color.toLowerCase();
  }
  return out;
}

export function encodeRunColors(colors: RunColors): string[] {
  return Object.entries(colors).map(([id, c]) => `${id}:${c}`);
}

/** The colour of the run at `index` in display order. */
export function runColor(runId: string, index: number, colors: RunColors): string {
  return colors[runId] ?? colorFor(index);
}
