import type { KeyObject } from 'node:crypto';

/** How webhooks are delivered; read once from the environment by `parseServerConfig`, overridable by `createApp`. */
export interface WebhookConfig {
  /** URL schemes a webhook may use (`MLFLOW_WEBHOOK_ALLOWED_SCHEMES`, default `https`). */
  allowedSchemes: string[];
  /** Deliver to loopback/private/link-local addresses (`MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS`, default false). */
  allowPrivateIps: boolean;
  /** Per-request timeout (`MLFLOW_WEBHOOK_REQUEST_TIMEOUT`, seconds, default 30). */
  timeoutMs: number;
  /** Attempts per delivery before it is marked failed (`TROVE_WEBHOOK_MAX_ATTEMPTS`, default 8). */
  maxAttempts: number;
  /** First retry delay; doubles per attempt (`TROVE_WEBHOOK_RETRY_BASE_MS`, default 2000). */
  retryBaseMs: number;
  /** Longest delay between two attempts (`TROVE_WEBHOOK_RETRY_MAX_MS`, default 1 h). */
  retryMaxMs: number;
  /** How often the dispatcher looks for due deliveries (`TROVE_WEBHOOK_POLL_MS`, default 500). */
  pollMs: number;
  /** Set false to run no dispatcher in this process (`TROVE_WEBHOOK_DISPATCHER=off`). */
  dispatcher: boolean;
  /** Encrypts webhook secrets at rest (`TROVE_SECRET_KEY`, `secret-box.ts`); without it they are stored as given. */
  secretKey?: KeyObject;
}

function num(v: string | undefined, fallback: number, min: number): number {
  const n = Number(v);
  return v === undefined || v === '' || !Number.isFinite(n) || n < min ? fallback : n;
}

export function readWebhookConfig(env: NodeJS.ProcessEnv, overrides: Partial<WebhookConfig> = {}): WebhookConfig {
  const schemes = (env.MLFLOW_WEBHOOK_ALLOWED_SCHEMES ?? 'https')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  return {
    allowedSchemes: schemes.length > 0 ? schemes : ['https'],
    allowPrivateIps: /^(1|true|yes)$/i.test(env.MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS ?? ''),
    timeoutMs: num(env.MLFLOW_WEBHOOK_REQUEST_TIMEOUT, 30, 0.001) * 1000,
    maxAttempts: Math.floor(num(env.TROVE_WEBHOOK_MAX_ATTEMPTS, 8, 1)),
    retryBaseMs: num(env.TROVE_WEBHOOK_RETRY_BASE_MS, 2000, 1),
    retryMaxMs: num(env.TROVE_WEBHOOK_RETRY_MAX_MS, 3_600_000, 1),
    pollMs: num(env.TROVE_WEBHOOK_POLL_MS, 500, 10),
    dispatcher: !/^(0|off|false|no)$/i.test(env.TROVE_WEBHOOK_DISPATCHER ?? ''),
    ...overrides,
  };
}

/** Delay before attempt `n + 1` after `n` failed attempts: base · 2^(n-1), capped. */
export function backoffMs(config: WebhookConfig, failedAttempts: number): number {
  return Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.max(0, failedAttempts - 1));
}
