import { invalidParam, Live } from '@trove/protocol';
import { type LiveCursor, parseLiveCursor } from '@trove/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { scopedTopic } from '../services/live-events.ts';
import type { Workspace } from '../services/workspace.service.ts';
import type { LiveHub } from './live-hub.ts';
import { HEARTBEAT_MS, openSseStream, type SseStream, sseFrame } from './sse-stream.ts';

type Query = Record<string, string | string[] | undefined>;

/** What the guard checks (route-access.ts): the experiments, runs, models and inbox the topics name. */
export function topicAccessInput(request: FastifyRequest): Record<string, unknown> {
  const { byKind } = Live.parseLiveTopics((request.query as Query).topic);
  return {
    experiment_ids: byKind.experiment,
    run_ids: byKind.run,
    names: byKind.model,
    ...(byKind.user.length === 0 ? {} : { user: byKind.user.length === 1 ? byKind.user[0] : byKind.user }),
  };
}

/** Where a stream resumes: `?last_event_id=` (a malformed one is a 400), else the `Last-Event-ID` header. */
function resumeFrom(request: FastifyRequest): LiveCursor | undefined {
  const q = (request.query as Query).last_event_id;
  const fromQuery = Array.isArray(q) ? q[0] : q;
  if (fromQuery !== undefined && fromQuery !== '') {
    const c = parseLiveCursor(fromQuery);
    if (!c) throw invalidParam(`Invalid value '${fromQuery.slice(0, 100)}' for parameter 'last_event_id'.`);
    return c;
  }
  const h = request.headers['last-event-id'];
  return parseLiveCursor(Array.isArray(h) ? h[0] : h);
}

/**
 * The streams of one process: `open` answers a request with an event stream of its topics; one
 * timer sends every stream its heartbeat; `closeAll` ends them (shutdown: open streams would
 * otherwise hold the server's close for ever).
 */
export function createEventStreams(hub: LiveHub) {
  const streams = new Set<SseStream>();
  const heartbeat = setInterval(() => {
    for (const s of streams) s.heartbeat();
  }, HEARTBEAT_MS);
  heartbeat.unref();

  async function open(request: FastifyRequest, reply: FastifyReply, workspace: Workspace): Promise<void> {
    const { topics } = Live.parseLiveTopics((request.query as Query).topic);
    const from = resumeFrom(request);
    const scoped = new Set(topics.map((t) => scopedTopic(workspace.id, t)));
    reply.hijack();
    const stream = openSseStream(reply.raw, reply.getHeaders() as Record<string, string>);
    streams.add(stream);
    let unsubscribe: (() => void) | undefined;
    const close = () => {
      streams.delete(stream);
      unsubscribe?.();
      stream.end();
    };
    request.raw.once('close', close);
    const sink = {
      topics: scoped,
      events: (rows: Parameters<SseStream['events']>[0]) => stream.events(rows) || (close(), false),
      resync: () => void stream.write(sseFrame('resync', '{"reason":"log_pruned"}')),
    };
    try {
      unsubscribe = await hub.subscribe(sink, from);
    } catch {
      stream.write(sseFrame('resync', '{"reason":"unavailable"}'));
      close();
      return;
    }
    if (!stream.open) return close();
    stream.write(sseFrame('ready', JSON.stringify({ topics })));
  }

  return {
    open,
    get size() {
      return streams.size;
    },
    closeAll(): void {
      clearInterval(heartbeat);
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}

export type EventStreams = ReturnType<typeof createEventStreams>;
