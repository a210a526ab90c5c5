/** How alerts are judged; read once from the environment by `parseServerConfig`, overridable by `createApp`. */
export interface AlertConfig {
  /** How often the scheduler judges time-based rules (`TROVE_ALERT_INTERVAL_MS`, default 30 s). */
  intervalMs: number;
  /**
   * How long a replica trusts its cached rules before it reads the rules revision again
   * (`TROVE_ALERT_RULES_TTL_MS`, default 5 s): another replica's rule change applies within it.
   */
  rulesTtlMs: number;
  /** Set false to run no scheduler in this process (`TROVE_ALERT_SCHEDULER=off`). */
  scheduler: boolean;
  /** The clock of the scheduler and of fired alerts; tests move it instead of waiting. */
  now: () => number;
}

function num(v: string | undefined, fallback: number, min: number): number {
  const n = Number(v);
  return v === undefined || v === '' || !Number.isFinite(n) || n < min ? fallback : n;
}

export function readAlertConfig(env: NodeJS.ProcessEnv): AlertConfig {
  return {
    intervalMs: num(env.TROVE_ALERT_INTERVAL_MS, 30_000, 10),
    rulesTtlMs: num(env.TROVE_ALERT_RULES_TTL_MS, 5_000, 0),
    scheduler: !/^(0|off|false|no)$/i.test(env.TROVE_ALERT_SCHEDULER ?? ''),
    now: Date.now,
  };
}
