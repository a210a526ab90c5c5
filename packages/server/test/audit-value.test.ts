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

  it('writes what JSON.stringify writes, for every kind of value', () => {
    const values: unknown[] = [
      { a: [1, 'two', null, true, undefined, () => 1], b: undefined, c: { d: new Date(0), e: Number.NaN } },
      [Number.POSITIVE_INFINITY, -0, 1e21, 5e-324, 'q"uote\\\n\u2028'],
      'plain',
      42,
      false,
      { 'key with "quotes"': { nested: [[], {}] } },
    ];
    for (const v of values) expect(auditValue(v), JSON.stringify(v)).toBe(JSON.stringify(v));
  });

  it('cuts long input to its first 2048 characters, saying so and how many bytes the body had', () => {
    const batch = { metrics: Array.from({ length: 1000 }, (_, i) => ({ key: 'loss', value: i / 7, step: i })) };
    const full = JSON.stringify(batch);
    expect(JSON.parse(auditValue(batch, 81234)!)).toEqual({ truncated: true, bytes: 81234, head: full.slice(0, 2048) });
    expect(JSON.parse(auditValue(batch)!)).toEqual({ truncated: true, head: full.slice(0, 2048) });
    const long = 'x'.repeat(5000);
    expect(JSON.parse(auditValue(long)!)).toEqual({ truncated: true, head: JSON.stringify(long).slice(0, 2048) });
    const exact = { s: 'y'.repeat(2048 - 8) };
    expect(auditValue(exact)).toBe(JSON.stringify(exact));
    const secret = JSON.parse(auditValue({ password: 'p', ...batch })!);
    expect(secret.head.startsWith('{"password":"[redacted]","metrics":[')).toBe(true);
  });

  it('records nothing for no input', () => {
    expect(auditValue(undefined)).toBeNull();
    expect(auditValue(null)).toBeNull();
  });
});
