import { describe, expect, it } from 'vitest';
import { latestError } from '../src/lib/latest-error.ts';

describe('latestError', () => {
  it('shows only the error of the action that ran last', () => {
    const failedRename = { error: new Error('name taken'), submittedAt: 100 };
    const workedDelete = { error: null, submittedAt: 200 };
    expect(latestError(failedRename, workedDelete)).toBeNull();
    expect(latestError({ ...failedRename, submittedAt: 300 }, workedDelete)).toBe(failedRename.error);
  });

  it('is null when nothing ran or nothing failed', () => {
    expect(latestError()).toBeNull();
    expect(latestError({ error: null, submittedAt: 0 }, { error: undefined, submittedAt: 5 })).toBeNull();
  });
});
