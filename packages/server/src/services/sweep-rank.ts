import { ModelHistory } from '@trove/protocol';

/** Tags a sweep's parent may name its objective in (Trove's and common tuners'); the first key listed wins. */
export const SWEEP_METRIC_TAGS = ['mlflow.sweep.metric', 'sweep.metric', 'sweep_metric', 'optimization_metric'];

const LOWER_IS_BETTER = /loss|error|rmse|mae/i;

/** The first metric key a parent's sweep tag names: a plain key, a comma list, or a JSON array. */
export function metricFromTags(tags: { key: string; value: string }[]): string | undefined {
  for (const name of SWEEP_METRIC_TAGS) {
    const value = tags.find((t) => t.key === name)?.value?.trim();
    if (!value) continue;
    if (value.startsWith('[')) {
      try {
        const list = JSON.parse(value) as unknown;
        if (Array.isArray(list) && typeof list[0] === 'string' && list[0]) return list[0];
      } catch {
        // not JSON: read it as a comma list
      }
    }
    const first = value
      .replace(/^\[|\]$/g, '')
      .split(',')[0]
      .trim()
      .replace(/^["']|["']$/g, '');
    if (first) return first;
  }
  return undefined;
}

/** The key most children logged; ties go to the alphabetically first. */
export function mostLoggedKey(counts: { key: string; runs: number }[]): string | undefined {
  return [...counts].sort((a, b) => b.runs - a.runs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))[0]?.key;
}

export function orderFor(key: string | undefined, requested?: 'asc' | 'desc') {
  if (requested) return { order: requested, order_source: 'request' as const };
  return {
    order: key && LOWER_IS_BETTER.test(key) ? ('asc' as const) : ('desc' as const),
    order_source: 'key_name' as const,
  };
}

export interface ChildValue {
  run_id: string;
  run_name: string;
  value: number | null;
}

/**
 * Ranks children on the metric (equal values share a rank; runs without a value are unranked) and
 * keeps the best `SIBLINGS_SHOWN`, then `self` if it fell outside them.
 */
export function rankChildren(children: ChildValue[], order: 'asc' | 'desc', self: string) {
  const ranked = children
    .filter((c) => c.value !== null && Number.isFinite(c.value))
    .sort((a, b) => ((a.value as number) - (b.value as number)) * (order === 'asc' ? 1 : -1));
  const withRank: ModelHistory.SweepSibling[] = [];
  ranked.forEach((c, i) => {
    const rank = i > 0 && c.value === ranked[i - 1].value ? (withRank[i - 1].rank as number) : i + 1;
    withRank.push({ ...c, rank });
  });
  const shown = withRank.slice(0, ModelHistory.SIBLINGS_SHOWN);
  const mine = withRank.find((c) => c.run_id === self) ?? children.find((c) => c.run_id === self);
  if (mine && !shown.some((c) => c.run_id === self)) shown.push(mine);
  return { siblings: shown, ranked_count: ranked.length, rank: withRank.find((c) => c.run_id === self)?.rank };
}
