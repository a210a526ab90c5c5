import type { ServerResponse } from 'node:http';
import { encodeLiveCursor, type LiveEventRow } from '@trove/store';

/** A client whose socket holds more than this unsent is too slow: it is told to resync and closed. */
export const MAX_BUFFERED_BYTES = 1 << 20;
export const HEARTBEAT_MS = 15_000;
/** What EventSource waits before reconnecting (the browser resumes with Last-Event-ID). */
const RETRY_MS = 2000;

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // nginx: pass each event on at once rather than buffering the response.
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
};

/** One server-sent event as written on the wire; the data is one line of JSON. */
export function sseFrame(name: string, data: string, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${name}\ndata: ${data}\n\n`;
}

/**
 * Frames are cached per row, so an event fanned out to a thousand streams is formatted once; the
 * topic prefix (`<workspace id>/`) is not sent, the client knows what it asked for.
 */
const frames = new WeakMap<LiveEventRow, string>();
export function frameOf(row: LiveEventRow): string {
  let f = frames.get(row);
  if (f === undefined) {
    f = sseFrame(row.name, row.payload, encodeLiveCursor(row.cursor));
    frames.set(row, f);
  }
  return f;
}

/**
 * The text of a batch of events. Streams on the same topics get the same rows, one stream after
 * another, from one read of the log: the last batch's text is kept, so a thousand such streams
 * cost one join, not a thousand.
 */
let lastBatch: readonly LiveEventRow[] = [];
let lastText = '';
function framesOf(rows: readonly LiveEventRow[]): string {
  if (rows.length !== lastBatch.length || rows.some((row, i) => row !== lastBatch[i])) {
    lastText = rows.length === 1 ? frameOf(rows[0]) : rows.map(frameOf).join('');
    lastBatch = rows;
  }
  return lastText;
}

/**
 * The writing end of one event stream. Back-pressure: a client that does not read (its socket
 * buffer past {@link MAX_BUFFERED_BYTES}) is sent `resync` and closed instead of having events
 * silently dropped; EventSource reconnects with the last id it did get and replays the rest from
 * the log.
 */
export function openSseStream(res: ServerResponse, headers: Record<string, string | number | string[]>) {
  let open = true;
  res.writeHead(200, { ...headers, ...SSE_HEADERS });
  res.write(`retry: ${RETRY_MS}\n: trove live events\n\n`);
  const end = () => {
    if (!open) return;
    open = false;
    res.end();
  };
  const write = (text: string): boolean => {
    if (!open) return false;
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.write(sseFrame('resync', '{"reason":"slow_client"}'));
      end();
      return false;
    }
    res.write(text);
    return true;
  };
  return {
    get open() {
      return open;
    },
    write,
    events: (rows: LiveEventRow[]) => write(framesOf(rows)),
    heartbeat: () => write(': keep-alive\n\n'),
    end,
  };
}

export type SseStream = ReturnType<typeof openSseStream>;
