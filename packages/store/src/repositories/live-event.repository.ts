import { type Kysely, sql } from 'kysely';
import { ddlOf } from '../migrator.ts';
import type { Database } from '../schema.ts';

/**
 * A position in the live-event log. Rows are ordered by `(tx, id)`: on PostgreSQL `tx` is the id of
 * the transaction that wrote the row, on SQLite always 0 (writers are serialised, so `id` order is
 * commit order). See {@link readLiveEvents} for why PostgreSQL needs `tx`.
 */
export interface LiveCursor {
  tx: number;
  id: number;
}

export interface LiveEventRow {
  cursor: LiveCursor;
  time: number;
  /** `<workspace id>/<topic>` each. */
  topics: string[];
  name: string;
  /** JSON text. */
  payload: string;
}

export interface NewLiveEvent {
  /** `<workspace id>/<topic>` each. */
  topics: string[];
  name: string;
  payload: unknown;
}

/** The channel PostgreSQL wake-ups are NOTIFYed on. */
export const LIVE_CHANNEL = 'trove_live';

export const START_CURSOR: LiveCursor = { tx: 0, id: 0 };

export function compareCursors(a: LiveCursor, b: LiveCursor): number {
  return a.tx === b.tx ? a.id - b.id : a.tx - b.tx;
}

/** The SSE event id of a cursor: `<tx>-<id>`; opaque to clients. */
export function encodeLiveCursor(c: LiveCursor): string {
  return `${c.tx}-${c.id}`;
}

/** Reads an SSE event id back; undefined for anything else (the stream then starts live). */
export function parseLiveCursor(text: string | undefined): LiveCursor | undefined {
  const m = /^(\d{1,15})-(\d{1,15})$/.exec(text?.trim() ?? '');
  return m ? { tx: Number(m[1]), id: Number(m[2]) } : undefined;
}

type Waker = () => void;
const localWakers = new Set<Waker>();

/** SQLite: tailers of this process hear of its own writes at once (other processes poll). */
export function onLocalLiveWrite(waker: Waker): () => void {
  localWakers.add(waker);
  return () => localWakers.delete(waker);
}

/** Tells this process's tailers a row was (or is about to be) committed. */
export function wakeLocalLiveTailers(): void {
  for (const w of localWakers) w();
}

/**
 * Appends an event in the caller's transaction (so it exists exactly when the change does). On
 * PostgreSQL the same statement NOTIFYs `trove_live`, which PostgreSQL delivers at commit; on
 * SQLite this process's tailers are woken (their read waits for the write lock, so it sees the commit).
 */
export async function appendLiveEvent(db: Kysely<Database>, e: NewLiveEvent): Promise<void> {
  const values = [Date.now(), e.topics.join(' '), e.name, JSON.stringify(e.payload)] as const;
  if (ddlOf(db).name === 'postgres') {
    await sql`WITH e AS (INSERT INTO live_events (time, topics, name, payload) VALUES (${values[0]}, ${values[1]}, ${values[2]}, ${values[3]}) RETURNING id)
SELECT pg_notify(${LIVE_CHANNEL}, '') FROM e`.execute(db);
    return;
  }
  await db
    .insertInto('live_events')
    .values({ time: values[0], topics: values[1], name: values[2], payload: values[3] })
    .execute();
  wakeLocalLiveTailers();
}

/** The same insert for the ingest writers' raw statements: SQLite `?` placeholders, PostgreSQL with the NOTIFY. */
export const INSERT_LIVE_EVENT_SQLITE = 'INSERT INTO live_events (time, topics, name, payload) VALUES (?, ?, ?, ?)';
export const LIVE_EVENT_CTE_PG =
  'live_event AS (INSERT INTO live_events (time, topics, name, payload) VALUES ($1, $2, $3, $4) RETURNING id)';
/** The final SELECT of a statement holding `LIVE_EVENT_CTE_PG`: the NOTIFY that wakes tailers on every replica. */
export const NOTIFY_LIVE_EVENT_PG = `SELECT pg_notify('${LIVE_CHANNEL}', '') FROM live_event`;
export const INSERT_LIVE_EVENT_PG = `WITH ${LIVE_EVENT_CTE_PG}\n${NOTIFY_LIVE_EVENT_PG}`;
export function liveEventValues(e: NewLiveEvent): [number, string, string, string] {
  return [Date.now(), e.topics.join(' '), e.name, JSON.stringify(e.payload)];
}

interface RawRow {
  id: number | string;
  tx: number | string;
  time: number | string;
  topics: string;
  name: string;
  payload: string;
  xmin?: number | string | null;
}

const toRow = (r: RawRow): LiveEventRow => ({
  cursor: { tx: Number(r.tx), id: Number(r.id) },
  time: Number(r.time),
  topics: r.topics.split(' '),
  name: r.name,
  payload: r.payload,
});

/**
 * The committed events after `after`, in `(tx, id)` order, and whether more are already committed
 * but held back. On PostgreSQL identity values are taken at insert and transactions commit in any
 * order, so a reader that remembered "the largest id seen" would skip a smaller id committed
 * later. Instead rows are read only while their transaction id is below the snapshot's `xmin`,
 * the oldest transaction still running: every transaction below it has ended, so no row can
 * later appear before the returned ones in `(tx, id)` order. Rows of later transactions that
 * already committed wait (`heldBack`) until the older transactions end.
 */
export async function readLiveEvents(
  db: Kysely<Database>,
  after: LiveCursor,
  limit: number,
): Promise<{ rows: LiveEventRow[]; heldBack: boolean }> {
  if (ddlOf(db).name !== 'postgres') {
    const r =
      await sql<RawRow>`SELECT id, tx, time, topics, name, payload FROM live_events WHERE id > ${after.id} ORDER BY id LIMIT ${limit}`.execute(
        db,
      );
    return { rows: r.rows.map(toRow), heldBack: false };
  }
  const r = await sql<RawRow>`WITH s AS (SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS xmin)
SELECT e.id, e.tx, e.time, e.topics, e.name, e.payload, s.xmin FROM live_events e, s
WHERE (e.tx, e.id) > (${after.tx}, ${after.id}) ORDER BY e.tx, e.id LIMIT ${limit}`.execute(db);
  const safe = r.rows.filter((row) => Number(row.tx) < Number(row.xmin));
  return { rows: safe.map(toRow), heldBack: safe.length < r.rows.length };
}

/** The position after the last event readers may take now (see {@link readLiveEvents}). */
export async function liveHead(db: Kysely<Database>): Promise<LiveCursor> {
  const r =
    ddlOf(db).name === 'postgres'
      ? await sql<RawRow>`SELECT tx, id FROM live_events WHERE tx < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint ORDER BY tx DESC, id DESC LIMIT 1`.execute(
          db,
        )
      : await sql<RawRow>`SELECT tx, id FROM live_events ORDER BY id DESC LIMIT 1`.execute(db);
  const row = r.rows[0];
  return row ? { tx: Number(row.tx), id: Number(row.id) } : START_CURSOR;
}

/** Whether a resume from `c` can be served: its row is still in the log, or nothing before it was pruned. */
export async function liveCursorRetained(db: Kysely<Database>, c: LiveCursor): Promise<boolean> {
  const oldest = await db
    .selectFrom('live_events')
    .select(['tx', 'id'])
    .orderBy('tx')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (oldest === undefined) return c.id === 0;
  return compareCursors(c, { tx: Number(oldest.tx), id: Number(oldest.id) }) >= 0;
}

/** SQLite's cheap change check for writes of other processes: the largest id. */
export async function maxLiveEventId(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('live_events')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  return Number(r?.m ?? 0);
}

/** Drops events older than `before` (ms) and all but the newest `keep`, never the newest one. */
export async function pruneLiveEvents(db: Kysely<Database>, before: number, keep: number): Promise<number> {
  const newest = await db
    .selectFrom('live_events')
    .select('id')
    .orderBy('id', 'desc')
    .offset(0)
    .limit(1)
    .executeTakeFirst();
  if (newest === undefined) return 0;
  const top = Number(newest.id);
  const r = await db
    .deleteFrom('live_events')
    .where('id', '<', top)
    .where((eb) => eb.or([eb('time', '<', before), eb('id', '<=', top - keep)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
