/**
 * Retry policy of the HTTP client: which failures are transient and how long to wait between
 * attempts. Only throttling and gateway/availability statuses are retried, never 4xx or a 500
 * (which the server uses for deterministic faults).
 */
export interface RetryOptions {
  /** Total tries per request, the first included (1 disables retries). Default 5. */
  maxAttempts: number;
  /** Delay before the first retry; doubles on each further one. Default 250 ms. */
  baseDelayMs: number;
  /** Cap on a single delay, `Retry-After` included. Default 10 s. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 10_000 };

/** HTTP statuses worth another try: 429 Too Many Requests, 502/503/504 from a proxy or an overloaded server. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * Delay before retry number `retry` (1-based): exponential with jitter in [d/2, d], or the
 * server's `Retry-After` (seconds or an HTTP date) when it gives one; capped at `maxDelayMs`.
 *
 * @example
 * backoffDelay(3, DEFAULT_RETRY); // between 500 and 1000 ms
 */
export function backoffDelay(retry: number, options: RetryOptions, retryAfter?: string | null): number {
  const hinted = parseRetryAfter(retryAfter);
  if (hinted !== undefined) return Math.min(hinted, options.maxDelayMs);
  const full = Math.min(options.baseDelayMs * 2 ** (retry - 1), options.maxDelayMs);
  return full / 2 + Math.random() * (full / 2);
}

function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
