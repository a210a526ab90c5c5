/**
 * Live pages: `useLiveTopic(topics, onEvent)` keeps one EventSource on
 * `GET /api/trove/v1/events?topic=…` while the component is mounted. The browser reconnects by
 * itself and resumes with `Last-Event-ID`, so events logged meanwhile still arrive (the server
 * replays them from its log); `resync` means they could not be replayed and the page should
 * re-read what it shows. Contract shared with other pages: docs/api.md#live-events.
 */
import { Live } from '@trove/protocol';
import { useEffect, useRef, useState } from 'react';
import { apiPrefix, splitWorkspacePath } from './workspace-path.ts';

export type LiveEventName = Live.LiveEventName | 'resync';

export interface LiveMessage {
  name: LiveEventName;
  /** The event's JSON (`Live.MetricsLiveEvent`, `Live.RecordedLiveEvent`…). */
  data: any;
}

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/** After the server refused the stream (an HTTP error, which EventSource does not retry), try again after this. */
const REOPEN_MS = 5000;

/** The URL of a stream of `topics`, in the workspace of the address bar, resuming after `lastId`. */
export function liveEventsUrl(topics: readonly string[], lastId?: string): string {
  const q = new URLSearchParams();
  for (const t of topics) q.append('topic', t);
  if (lastId) q.set('last_event_id', lastId);
  return `${apiPrefix(splitWorkspacePath(window.location.pathname).workspace)}/api/trove/v1/events?${q}`;
}

/**
 * Calls `onEvent` for each event of `topics` (none while `topics` is empty). The latest
 * `onEvent` is used without reopening the stream; a new topic list opens a new one.
 */
export function useLiveTopic(topics: readonly string[], onEvent: (e: LiveMessage) => void): LiveStatus {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const key = topics.join('\n');
  useEffect(() => {
    if (key === '' || typeof EventSource === 'undefined') return;
    const list = key.split('\n');
    let source: EventSource | undefined;
    let lastId: string | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const open = () => {
      const s = new EventSource(liveEventsUrl(list, lastId));
      source = s;
      const deliver = (name: LiveEventName) => (e: MessageEvent) => {
        if (e.lastEventId) lastId = e.lastEventId;
        let data: unknown;
        try {
          data = JSON.parse(e.data as string);
        } catch {
          data = {};
        }
        handler.current({ name, data });
      };
      for (const name of [...Live.LIVE_EVENT_NAMES, 'resync'] as const) s.addEventListener(name, deliver(name));
      s.addEventListener('ready', () => setStatus('live'));
      s.onerror = () => {
        if (closed) return;
        setStatus('reconnecting');
        // CLOSED: the server answered an error; EventSource gives up, so open a new one later.
        if (s.readyState === EventSource.CLOSED) reopen = setTimeout(open, REOPEN_MS);
      };
    };
    open();
    return () => {
      closed = true;
      clearTimeout(reopen);
      source?.close();
      setStatus('connecting');
    };
  }, [key]);
  return status;
}

/**
 * Wraps `fn` so that a burst of calls runs it at most once per `ms`: the first at once, the
 * rest folded into one call at the end of the window (a run logging every 50 ms re-reads a
 * table at most a few times a second).
 */
export function throttle(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  const fire = () => {
    timer = undefined;
    if (!pending) return;
    pending = false;
    fn();
    timer = setTimeout(fire, ms);
  };
  return () => {
    if (timer !== undefined) {
      pending = true;
      return;
    }
    fn();
    timer = setTimeout(fire, ms);
  };
}
