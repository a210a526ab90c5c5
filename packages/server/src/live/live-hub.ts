import {
  compareCursors,
  type LiveCursor,
  type LiveEventRow,
  liveCursorRetained,
  liveHead,
  pruneLiveEvents,
  readLiveEvents,
  type Store,
  startLiveWakeups,
} from '@trove/store';

/** One open stream as the hub sees it: the topics it wants (workspace-scoped) and where to write. */
export interface LiveSink {
  topics: ReadonlySet<string>;
  /** Writes events (in order, one socket write); answers false when the client cannot keep up (the stream then ends itself). */
  events(rows: LiveEventRow[]): boolean;
  /** The log no longer holds what the client missed: it must re-read what it shows. */
  resync(): void;
}

export interface LiveHubOptions {
  /** Events kept for resuming: by age (ms) and count. */
  keepMs?: number;
  keepCount?: number;
  /** How many events a resume may replay before the client is told to resync instead. */
  maxReplay?: number;
}

const PAGE = 1000;
/** Retry delay while committed events wait for an older transaction (`heldBack`), and the idle safety poll. */
const HELD_BACK_RETRY_MS = 50;
const SAFETY_POLL_MS = 5000;
/**
 * Wake-ups closer together than this are folded into one read, so a busy experiment (a commit
 * every few ms) costs each stream one socket write per interval rather than one per commit.
 */
const MIN_READ_INTERVAL_MS = 250;
const PRUNE_EVERY_MS = 60_000;

interface Subscriber {
  sink: LiveSink;
  /** Events the tailer delivered while the subscriber was still replaying from the log. */
  pending: LiveEventRow[] | undefined;
}

/**
 * One tailer per process over the live-event log, fanning rows out to this process's open streams
 * by topic. Woken by the store (`startLiveWakeups`: PostgreSQL LISTEN, SQLite local writes and a
 * poll), it reads committed rows after its cursor in `(tx, id)` order (`readLiveEvents`); each
 * event is formatted once and written to every matching stream. While no stream is open it reads
 * nothing and forgets its cursor; the first stream starts it at the head of the log.
 */
export function createLiveHub(store: Store, options: LiveHubOptions = {}) {
  const keepMs = options.keepMs ?? 60 * 60_000;
  const keepCount = options.keepCount ?? 100_000;
  const maxReplay = options.maxReplay ?? 20 * PAGE;
  const byTopic = new Map<string, Set<Subscriber>>();
  const subscribers = new Set<Subscriber>();
  let cursor: LiveCursor | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  /** Fans a page of rows out: each stream gets its rows in one write. */
  function deliver(rows: LiveEventRow[]): void {
    const batches = new Map<Subscriber, LiveEventRow[]>();
    for (const row of rows) {
      for (const topic of row.topics) {
        for (const s of byTopic.get(topic) ?? []) {
          const batch = batches.get(s);
          if (batch === undefined) batches.set(s, [row]);
          else if (batch[batch.length - 1] !== row) batch.push(row);
        }
      }
    }
    for (const [s, batch] of batches) {
      if (s.pending) s.pending.push(...batch);
      else s.sink.events(batch);
    }
  }

  let lastRead = 0;
  async function tail(): Promise<void> {
    lastRead = Date.now();
    if (cursor === undefined) cursor = await liveHead(store.db);
    for (;;) {
      const { rows, heldBack } = await readLiveEvents(store.db, cursor, PAGE);
      if (rows.length > 0) {
        cursor = rows[rows.length - 1].cursor;
        deliver(rows);
      }
      if (heldBack) schedule(HELD_BACK_RETRY_MS);
      if (rows.length < PAGE) return;
    }
  }

  /** Single-flight: a wake-up during a read runs one more read after it. */
  function pump(): Promise<void> {
    if (closed || subscribers.size === 0) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await tail();
        } while (again);
      } catch {
        // A lost connection or a store being closed: the next wake-up (or the safety poll) retries.
        schedule(SAFETY_POLL_MS);
      } finally {
        running = undefined;
        if (subscribers.size === 0) cursor = undefined;
      }
    })();
    return running;
  }

  function schedule(ms: number): void {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void pump();
    }, ms);
    timer.unref();
  }

  const safety = setInterval(() => void pump(), SAFETY_POLL_MS);
  safety.unref();
  const pruner = setInterval(
    () => void pruneLiveEvents(store.db, Date.now() - keepMs, keepCount).catch(() => {}),
    PRUNE_EVERY_MS,
  );
  pruner.unref();
  const wake = () => {
    const wait = lastRead + MIN_READ_INTERVAL_MS - Date.now();
    if (wait > 0) schedule(wait);
    else void pump();
  };
  const wakeups = startLiveWakeups(store, wake);

  function add(s: Subscriber): void {
    subscribers.add(s);
    for (const t of s.sink.topics) {
      const set = byTopic.get(t) ?? new Set<Subscriber>();
      byTopic.set(t, set);
      set.add(s);
    }
  }

  function remove(s: Subscriber): void {
    subscribers.delete(s);
    for (const t of s.sink.topics) {
      const set = byTopic.get(t);
      set?.delete(s);
      if (set?.size === 0) byTopic.delete(t);
    }
    // Idle: stop following the log; the next stream starts from its head again.
    if (subscribers.size === 0 && !running) cursor = undefined;
  }

  /** Replays the log after `from` for the sink's topics; false when it cannot (pruned, or too far behind). */
  async function replay(sink: LiveSink, from: LiveCursor): Promise<LiveCursor | undefined> {
    if (!(await liveCursorRetained(store.db, from))) return undefined;
    let at = from;
    let replayed = 0;
    for (;;) {
      const { rows } = await readLiveEvents(store.db, at, PAGE);
      if (rows.length > 0) at = rows[rows.length - 1].cursor;
      const mine = rows.filter((row) => row.topics.some((t) => sink.topics.has(t)));
      if (mine.length > 0 && !sink.events(mine)) return at;
      replayed += rows.length;
      if (rows.length < PAGE) return at;
      if (replayed >= maxReplay) return undefined;
    }
  }

  /**
   * Opens a stream: events after `from` (a resume) come from the log, then live ones, none twice
   * and none skipped: live events arriving meanwhile wait in `pending` and only those after the
   * last replayed one are written. Answers the function that closes the subscription.
   */
  async function subscribe(sink: LiveSink, from: LiveCursor | undefined): Promise<() => void> {
    const s: Subscriber = { sink, pending: [] };
    add(s);
    const unsubscribe = () => remove(s);
    try {
      // Start the tailer first, so the replay reads at least as far as it will start.
      if (cursor === undefined) await pump();
      let last: LiveCursor | undefined;
      if (from !== undefined) {
        last = await replay(sink, from);
        if (last === undefined) sink.resync();
      }
      const pending = s.pending ?? [];
      s.pending = undefined;
      const after = pending.filter((row) => last === undefined || compareCursors(row.cursor, last) > 0);
      if (after.length > 0) sink.events(after);
    } catch (e) {
      unsubscribe();
      throw e;
    }
    return unsubscribe;
  }

  return {
    subscribe,
    /** Open streams in this process (for /metrics and tests). */
    get size() {
      return subscribers.size;
    },
    async close(): Promise<void> {
      closed = true;
      clearInterval(safety);
      clearInterval(pruner);
      clearTimeout(timer);
      await wakeups.close();
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
