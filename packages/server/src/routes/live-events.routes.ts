import type { Router } from '../http/router.ts';
import { type EventStreams, topicAccessInput } from '../live/event-stream.ts';

/** `GET /api/trove/v1/events?topic=…`: server-sent events for open pages (docs/api.md#live-events). */
export function registerLiveEventRoutes(r: Router, streams: EventStreams): void {
  r.raw('GET', '/events', async (request, reply, workspace) => streams.open(request, reply, workspace), {
    api: 'trove',
    input: topicAccessInput,
  });
}
