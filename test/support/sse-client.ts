/** One server-sent event as a client parsed it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

export interface SseClient {
  status: number;
  events: SseEvent[];
  /** Resolves with the first event (from the start of the stream) matching `match` not yet taken. */
  next(match: string | ((e: SseEvent) => boolean), timeoutMs?: number): Promise<SseEvent>;
  /** The id of the last event received that had one. */
  lastId(): string | undefined;
  close(): void;
}

/**
 * A minimal EventSource over fetch for tests: parses the stream as it arrives, keeps every event,
 * and lets a test await one. `next` takes events in order, so waiting twice for `metrics` returns
 * the first and then the second.
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  const taken = new Set<SseEvent>();
  const waiters = new Set<() => void>();
  const client: SseClient = {
    status: res.status,
    events,
    async next(match, timeoutMs = 10_000) {
      const test = typeof match === 'string' ? (e: SseEvent) => e.event === match : match;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find((e) => !taken.has(e) && test(e));
        if (found) {
          taken.add(found);
          return found;
        }
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(
            `no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`,
          );
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, left);
          function done() {
            clearTimeout(t);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    },
    lastId() {
      for (let i = events.length - 1; i >= 0; i--) if (events[i].id !== undefined) return events[i].id;
      return undefined;
    },
    close: () => abort.abort(),
  };
  if (res.status !== 200 || !res.body) return client;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          const e: Partial<SseEvent> & { data?: string } = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') e.id = value;
            else if (field === 'event') e.event = value;
            else if (field === 'data') e.data = value;
          }
          if (e.data === undefined) continue;
          events.push({ id: e.id, event: e.event ?? 'message', data: JSON.parse(e.data) });
          for (const w of [...waiters]) w();
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return client;
}
