import pg from 'pg';
import { LIVE_CHANNEL, maxLiveEventId, onLocalLiveWrite } from './repositories/live-event.repository.ts';
import type { Store } from './store.ts';

export interface LiveWakeups {
  close(): Promise<void>;
}

export interface LiveWakeupOptions {
  /** SQLite: how often to look for other processes' writes (ms). */
  pollMs?: number;
  /** PostgreSQL: the first delay before reconnecting a lost LISTEN connection (ms); doubles up to 5 s. */
  reconnectMs?: number;
}

/**
 * Calls `wake` whenever the live-event log may have grown. PostgreSQL: one dedicated connection
 * per process LISTENs on `trove_live` (writers NOTIFY in their transaction, delivered at commit),
 * reconnecting with back-off and waking once on every (re)connect, as NOTIFYs sent while it was
 * down are lost. SQLite: this process's own writes wake at once; other processes' (`--workers`)
 * are found by polling the largest id.
 */
export function startLiveWakeups(store: Store, wake: () => void, options: LiveWakeupOptions = {}): LiveWakeups {
  return store.pg ? listen(store.pg, wake, options.reconnectMs ?? 100) : poll(store, wake, options.pollMs ?? 200);
}

function poll(store: Store, wake: () => void, every: number): LiveWakeups {
  const off = onLocalLiveWrite(wake);
  let last = -1;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      const max = await maxLiveEventId(store.db);
      if (max !== last) {
        if (last !== -1) wake();
        last = max;
      }
    } catch {
      // A store being closed: nothing to wake.
    }
    if (!closed) timer = setTimeout(tick, every).unref();
  };
  timer = setTimeout(tick, 0).unref();
  return {
    async close() {
      closed = true;
      off();
      clearTimeout(timer);
    },
  };
}

function listen(pool: pg.Pool, wake: () => void, firstDelay: number): LiveWakeups {
  let client: pg.Client | undefined;
  let closed = false;
  let delay = firstDelay;
  let timer: NodeJS.Timeout | undefined;
  const connect = async () => {
    const c = new pg.Client({ connectionString: pool.options.connectionString, application_name: 'trove-live' });
    client = c;
    const lost = () => {
      if (client !== c) return;
      client = undefined;
      c.end().catch(() => {});
      if (!closed) retry();
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', () => wake());
    try {
      await c.connect();
      await c.query(`LISTEN ${LIVE_CHANNEL}`);
      delay = firstDelay;
      wake();
    } catch {
      lost();
    }
  };
  const retry = () => {
    timer = setTimeout(connect, delay);
    timer.unref();
    delay = Math.min(delay * 2, 5000);
  };
  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
