import { TroveError } from '@trove/protocol';

const WINDOW_MS = 15 * 60_000;

/**
 * Failed sign-ins counted per account and per address over a sliding window: past the limit,
 * further attempts are refused (429) without checking the password, so guessing stays slow
 * whether an attacker tries many passwords on one account or one password on many.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly perAccount = 10,
    private readonly perAddress = 50,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Throws 429 when either the account or the address has failed too often lately. */
  check(username: string, address: string, now = Date.now()): void {
    if (
      this.recent(`u:${username}`, now).length >= this.perAccount ||
      this.recent(`a:${address}`, now).length >= this.perAddress
    )
      throw new TroveError('RESOURCE_EXHAUSTED', 'Too many failed sign-in attempts. Try again in a few minutes.');
  }

  failed(username: string, address: string, now = Date.now()): void {
    if (this.failures.size > 100_000) this.failures.clear();
    for (const key of [`u:${username}`, `a:${address}`]) this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeeded(username: string): void {
    this.failures.delete(`u:${username}`);
  }
}
