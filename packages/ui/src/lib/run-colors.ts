/**
 * Run colours chosen by the user, kept in the URL as repeated `color=<runId>:#rrggbb`. A run
 * without a choice takes the palette colour its id hashes to, so it keeps it across pages, sorts
 * and filters.
 */
import { colorForId } from '../charts/palette.ts';

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

/** A run's colour: the user's choice, else its id's palette colour. */
export function runColor(runId: string, colors: RunColors): string {
  return colors[runId] ?? colorForId(runId);
}
