import { ERROR_CODES, TroveError } from '@trove/protocol';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../src/duration.ts';
import { CliError, EXIT, exitCodeFor } from '../src/exit-codes.ts';

describe('exitCodeFor', () => {
  it('maps MLflow error codes onto the documented statuses', () => {
    const code = (c: (typeof ERROR_CODES)[number]) => exitCodeFor(new TroveError(c, 'x'));
    expect(code('RESOURCE_DOES_NOT_EXIST')).toBe(2);
    expect(code('ENDPOINT_NOT_FOUND')).toBe(2);
    expect(code('PERMISSION_DENIED')).toBe(3);
    expect(code('UNAUTHENTICATED')).toBe(3);
    expect(code('RESOURCE_ALREADY_EXISTS')).toBe(4);
    expect(code('RESOURCE_CONFLICT')).toBe(4);
    expect(code('INVALID_PARAMETER_VALUE')).toBe(1);
    expect(code('IO_ERROR')).toBe(5);
    expect(code('INTERNAL_ERROR')).toBe(5);
    expect(code('TEMPORARILY_UNAVAILABLE')).toBe(5);
  });

  it('gives every error code a status a command may exit with (6 and 7 belong to review wait alone)', () => {
    for (const c of ERROR_CODES) expect([1, 2, 3, 4, 5], c).toContain(exitCodeFor(new TroveError(c, 'x')));
  });

  it("keeps the CLI's own status, and reads local file errors", () => {
    expect(exitCodeFor(new CliError('policy', EXIT.REFUSED))).toBe(4);
    expect(exitCodeFor(Object.assign(new Error('missing'), { code: 'ENOENT' }))).toBe(2);
    expect(exitCodeFor(Object.assign(new Error('denied'), { code: 'EACCES' }))).toBe(3);
    expect(exitCodeFor(new Error('anything else'))).toBe(5);
  });
});

describe('parseDuration', () => {
  it('reads ms, s, m, h and bare seconds', () => {
    expect([parseDuration('500ms'), parseDuration('30s'), parseDuration('10m'), parseDuration('1h')]).toEqual([
      500, 30_000, 600_000, 3_600_000,
    ]);
    expect(parseDuration('45')).toBe(45_000);
    expect(parseDuration('1.5m')).toBe(90_000);
  });
  it('refuses anything else as a usage error', () => {
    for (const bad of ['', 'ten', '10 minutes', '-1s', '5d'])
      expect(() => parseDuration(bad)).toThrow(expect.objectContaining({ exitCode: 1 }));
  });
});
