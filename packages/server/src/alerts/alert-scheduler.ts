import { randomUUID } from 'node:crypto';
import {
  findStalledRuns,
  listEnabledAlertRules,
  releaseAlertSchedulerLease,
  runInTransaction,
  type Store,
  takeAlertSchedulerLease,
} from '@trove/store';
import { createPollLoop } from '../background/poll-loop.ts';
import { stalledCondition } from './alert-evaluation.ts';
import type { AlertFiring } from './alert-firing.ts';
import { compileRule } from './alert-rule-cache.ts';

/** Stalled runs judged per rule and tick; the rest wait for the next tick. */
const RUNS_PER_RULE_TICK = 500;

interface Logger {
  error(obj: unknown, msg?: string): void;
}

export interface AlertSchedulerConfig {
  /** How often time-based rules are judged (`TROVE_ALERT_INTERVAL_MS`). */
  intervalMs: number;
  /** The clock; tests move it instead of waiting. */
  now: () => number;
}

/**
 * Judges the time-based rules (`stalled`) every `intervalMs`. Of several replicas only the holder
 * of the lease row (`alert_meta`, a guarded UPDATE, held for two intervals and renewed each tick)
 * does the work; the alerts' unique key would keep firing once-only without it, the lease only
 * spares the duplicate queries.
 */
export function createAlertScheduler(store: Store, firing: AlertFiring, config: AlertSchedulerConfig, log: Logger) {
  const { db } = store;
  const holder = randomUUID();
  async function tick(): Promise<void> {
    const now = config.now();
    if (!(await takeAlertSchedulerLease(db, holder, now, now + 2 * config.intervalMs))) return;
    for (const row of await listEnabledAlertRules(db, 'stalled')) {
      if (loop.stopping) return;
      const rule = compileRule(row);
      const minutes = rule.minutes as number;
      const cutoff = now - minutes * 60_000;
      for (const run of await findStalledRuns(
        db,
        { ...rule, experimentId: rule.experimentId },
        cutoff,
        RUNS_PER_RULE_TICK,
      )) {
        const last = Math.max(run.start_time, run.last_activity ?? 0);
        await runInTransaction(store, (tx) =>
          firing.fire(
            tx,
            rule,
            { ...run, experiment_id: rule.experimentId },
            {
              condition: stalledCondition(minutes, last, now),
            },
          ),
        );
      }
    }
  }

  const loop = createPollLoop({ name: 'alert scheduler', intervalMs: config.intervalMs, log, run: tick, unref: true });

  return {
    start: loop.start,
    async stop(): Promise<void> {
      await loop.stop();
      await releaseAlertSchedulerLease(db, holder).catch(() => undefined);
    },
  };
}
