import { describe, expect, it } from 'vitest';
import { createReadAhead } from '../src/services/history-read-ahead.ts';

describe('createReadAhead', () => {
  it('reads the version before computing the page, and hands a page out once', async () => {
    const order: string[] = [];
    const ahead = createReadAhead<string>();
    ahead.start(
      'k',
      async () => {
        order.push('version');
        return 'v1';
      },
      async () => {
        order.push('page');
        return 'p';
      },
    );
    const found = ahead.take('k');
    expect(await found?.version).toBe('v1');
    expect(await found?.page).toBe('p');
    expect(order).toEqual(['version', 'page']);
    expect(ahead.take('k')).toBeUndefined();
  });

  it('keeps at most maxPages, dropping the oldest, and none older than ttlMs', () => {
    let now = 0;
    const ahead = createReadAhead<number>({ maxPages: 2, ttlMs: 100, now: () => now });
    for (const k of ['a', 'b', 'c'])
      ahead.start(
        k,
        async () => 'v',
        async () => 1,
      );
    expect(ahead.size).toBe(2);
    expect(ahead.take('a')).toBeUndefined();
    now = 101;
    expect(ahead.take('b')).toBeUndefined();
    expect(ahead.take('c')).toBeUndefined();
    expect(ahead.size).toBe(0);
  });

  it('a failed version or page reads as undefined, never as a rejection', async () => {
    const ahead = createReadAhead<number>();
    ahead.start(
      'v',
      () => Promise.reject(new Error('db down')),
      async () => 1,
    );
    ahead.start(
      'p',
      async () => 'v',
      () => Promise.reject(new Error('db down')),
    );
    const v = ahead.take('v');
    expect(await v?.version).toBeUndefined();
    expect(await v?.page).toBeUndefined();
    const p = ahead.take('p');
    expect(await p?.version).toBe('v');
    expect(await p?.page).toBeUndefined();
  });
});
