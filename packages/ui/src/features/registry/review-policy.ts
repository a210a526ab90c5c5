/** Which changes a model's review policy protects (what `review-gate.ts` refuses on the server). Pure. */

export interface PolicyRuleLike {
  kind: 'stage' | 'alias';
  target: string;
  required_approvals: number;
}

/**
 * Approvals a change of `kind` to `target` needs under `rules`: the largest of its own rule and a
 * `*` rule of that kind, 0 when none applies. Stage names match case-insensitively, as the server
 * makes them canonical; aliases match exactly.
 */
export function requiredApprovals(rules: readonly PolicyRuleLike[], kind: 'stage' | 'alias', target: string): number {
  const same = (t: string) => (kind === 'stage' ? t.toLowerCase() === target.toLowerCase() : t === target);
  let n = 0;
  for (const r of rules)
    if (r.kind === kind && (r.target === '*' || same(r.target))) n = Math.max(n, r.required_approvals);
  return n;
}
