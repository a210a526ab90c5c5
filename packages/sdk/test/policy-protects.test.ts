import { describe, expect, it } from 'vitest';
import { policyProtects } from '../src/review-client.ts';

describe('policyProtects', () => {
  const rules = [
    { kind: 'stage' as const, target: 'Production', required_approvals: 1 },
    { kind: 'alias' as const, target: 'champion', required_approvals: 2 },
  ];
  it('matches stages case-insensitively, as the server canonicalises them, and aliases exactly', () => {
    expect(policyProtects(rules, 'stage', 'production')).toBe(true);
    expect(policyProtects(rules, 'stage', 'Staging')).toBe(false);
    expect(policyProtects(rules, 'alias', 'champion')).toBe(true);
    expect(policyProtects(rules, 'alias', 'Champion')).toBe(false);
    expect(policyProtects(rules, 'alias', 'Production')).toBe(false);
  });
  it('reads * as every target of its kind, and no rules as nothing protected', () => {
    expect(policyProtects([{ kind: 'alias', target: '*', required_approvals: 1 }], 'alias', 'any')).toBe(true);
    expect(policyProtects([{ kind: 'alias', target: '*', required_approvals: 1 }], 'stage', 'Production')).toBe(false);
    expect(policyProtects([], 'stage', 'Production')).toBe(false);
  });
});
