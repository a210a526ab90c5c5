import { describe, expect, it } from 'vitest';
import { auditValue } from '../src/auth/audit-trail.ts';

describe('auditValue', () => {
  it('replaces secret fields at any depth', () => {
    const text = auditValue({ username: 'ann', password: 'hunter2', nested: [{ client_secret: 's', token: 't' }] });
    expect(JSON.parse(text!)).toEqual({
      username: 'ann',
      password: '[redacted]',
      nested: [{ client_secret: '[redacted]', token: '[redacted]' }],
    });
    expect(text).not.toContain('hunter2');
  });

  it('keeps a value that only mentions a secret key, and records input without secrets as it came', () => {
    const mention = { note: 'see "password": in the docs', n: 1 };
    expect(JSON.parse(auditValue(mention)!)).toEqual(mention);
    const batch = { run_id: 'r', metrics: Array.from({ length: 3 }, (_, i) => ({ key: `m${i}`, value: i / 3 })) };
    expect(auditValue(batch)).toBe(JSON.stringify(batch));
  });

  it('keeps integers beyond 2^53 exact', () => {
    expect(auditValue({ step: 2n ** 60n })).toBe(`{"step":${2n ** 60n}}`);
  });

  it('cuts long input to its first 2048 characters and says how long it was', () => {
    const batch = { metrics: Array.from({ length: 1000 }, (_, i) => ({ key: 'loss', value: i, step: i })) };
    const full = JSON.stringify(batch);
    const cut = JSON.parse(auditValue(batch)!);
    expect(cut).toEqual({ truncated: true, chars: full.length, head: full.slice(0, 2048) });
    const secret = JSON.parse(auditValue({ password: 'p', ...batch })!);
    expect(secret.head.startsWith('{"password":"[redacted]","metrics":[')).toBe(true);
    expect(secret.chars).toBe(JSON.stringify({ password: '[redacted]', ...batch }).length);
  });

  it('records nothing for no input', () => {
    expect(auditValue(undefined)).toBeNull();
    expect(auditValue(null)).toBeNull();
  });
});
