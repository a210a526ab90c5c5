import { oneOf, optNum, str } from '../../lib/url-state.ts';

export const TIME_RANGES = [
  ['all', 'All time'],
  ['1h', 'Last hour'],
  ['1d', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['custom', 'Custom…'],
] as const;
export type TimeRange = (typeof TIME_RANGES)[number][0];

const WINDOW_MS: Record<string, number> = { '1h': 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000 };

/** The Traces tab's URL: filter text (MLflow's trace grammar), time range, and the custom bounds (ms). */
export const traceListSpec = {
  filter: str(),
  range: oneOf(
    TIME_RANGES.map(([r]) => r),
    'all',
  ),
  from: optNum(),
  to: optNum(),
};

/** The `[from, to)` bounds a range stands for at `now`; relative ranges are fixed when the first page is asked for. */
export function rangeBounds(
  range: TimeRange,
  from: number | null,
  to: number | null,
  now: number,
): { from?: number; to?: number } {
  if (range === 'custom') return { from: from ?? undefined, to: to ?? undefined };
  const window = WINDOW_MS[range];
  return window === undefined ? {} : { from: now - window };
}
