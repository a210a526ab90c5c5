import { randomUUID } from 'node:crypto';
import { createPollLoop } from './poll-loop.ts';

interface Logger {
  error(obj: unknown, msg?: string): void;
}

/**
 * The sending side of an outbox table (webhook deliveries, notification deliveries): polls for due
 * rows, claims each under a lease with a guarded UPDATE (so several server processes never send one
 * row at once, and a row whose sender died is taken again when its lease lapses), and runs up to
 * `maxInFlight` attempts at a time. What an attempt does, and what it records, is the caller's.
 */
export function createLeasedOutbox<Row>(options: {
  name: string;
  pollMs: number;
  maxInFlight: number;
  log: Logger;
  due(now: number, limit: number): Promise<readonly string[]>;
  /** The claimed row, or undefined when another process holds it. */
  claim(id: string, now: number, token: string): Promise<Row | undefined>;
  attempt(row: Row, token: string): Promise<void>;
}) {
  const inFlight = new Set<Promise<void>>();
  const loop = createPollLoop({
    name: `${options.name} poll`,
    intervalMs: options.pollMs,
    log: options.log,
    run: async () => {
      if (inFlight.size >= options.maxInFlight) return;
      const now = Date.now();
      for (const id of await options.due(now, options.maxInFlight - inFlight.size)) {
        if (loop.stopping) return;
        const token = randomUUID();
        const row = await options.claim(id, now, token);
        if (row === undefined) continue;
        const p: Promise<void> = options
          .attempt(row, token)
          .catch((err) => options.log.error({ err, deliveryId: id }, `${options.name} attempt failed`))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
    },
  });

  return {
    start: loop.start,
    /**
     * Stops polling and gives attempts in flight `graceMs` to finish (an accepted send gets marked
     * sent), then calls `abort` and waits for them to end (an aborted one is retried later).
     */
    async stop(graceMs: number, abort: () => void): Promise<void> {
      await loop.stop();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
