import { CliError, EXIT } from './exit-codes.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `10m`, `1h`, `500ms`, or bare seconds (`30`) → milliseconds; anything else is a usage error. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliError(`Invalid duration '${text}': use e.g. 30s, 10m, 1h.`, EXIT.USAGE);
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's']);
}
