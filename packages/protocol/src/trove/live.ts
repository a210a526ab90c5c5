import { invalidParam } from '../errors.ts';

/**
 * `GET /api/trove/v1/events?topic=…` — server-sent events for open pages. A topic names what a
 * page shows; `user:<name>` is one's own inbox (notifications).
 */
export type LiveTopicKind = 'experiment' | 'run' | 'model' | 'user';
export type LiveTopic = `${LiveTopicKind}:${string}`;

/** Event names on the stream; `ready` (the subscription is live) and `resync` (re-read everything) carry no id. */
export type LiveEventName =
  | 'metrics'
  | 'run'
  | 'run_created'
  | 'comment'
  | 'review'
  | 'registry'
  | 'deployment'
  | 'alert'
  | 'notification';

export const LIVE_EVENT_NAMES: readonly LiveEventName[] = [
  'metrics',
  'run',
  'run_created',
  'comment',
  'review',
  'registry',
  'deployment',
  'alert',
  'notification',
];

/** `metrics`: one per logging request, however many points it held. */
export interface MetricsLiveEvent {
  run_id: string;
  experiment_id: string;
  /** The largest step the request logged, per key (a decimal string beyond 2^53). */
  max_steps: Record<string, number | string>;
}

/** `run_created`, on the experiment's topic. */
export interface RunCreatedLiveEvent {
  run_id: string;
  experiment_id: string;
  run_name: string;
}

/** Every other event: a `recordEvent` of the registry/activity log, by its entity and action. */
export interface RecordedLiveEvent {
  entity: string;
  action: string;
  name?: string;
  version?: string;
  run_id?: string;
  actor?: string;
  payload: Record<string, unknown>;
}

export const MAX_LIVE_TOPICS = 50;
const TOPIC = /^(experiment|run|model|user):(.{1,500})$/s;

/** The topics of a request (`topic` repeated), grouped by what the guard checks; 400 when malformed. */
export function parseLiveTopics(value: unknown): { topics: LiveTopic[]; byKind: Record<LiveTopicKind, string[]> } {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (list.length === 0) throw invalidParam("Missing value for required parameter 'topic'.");
  if (list.length > MAX_LIVE_TOPICS)
    throw invalidParam(`At most ${MAX_LIVE_TOPICS} topics may be subscribed at once; got ${list.length}.`);
  const byKind: Record<LiveTopicKind, string[]> = { experiment: [], run: [], model: [], user: [] };
  const topics: LiveTopic[] = [];
  for (const t of list) {
    const m = typeof t === 'string' ? TOPIC.exec(t) : null;
    if (!m)
      throw invalidParam(
        `Invalid value ${JSON.stringify(String(t)).slice(0, 200)} for parameter 'topic': expected experiment:<id>, run:<run id>, model:<name> or user:<name>.`,
      );
    const kind = m[1] as LiveTopicKind;
    if (kind === 'experiment' && !/^\d{1,19}$/.test(m[2]))
      throw invalidParam(
        `Invalid value for parameter 'topic': experiment ids are integers, got '${m[2].slice(0, 100)}'.`,
      );
    if (!byKind[kind].includes(m[2])) byKind[kind].push(m[2]);
    topics.push(t as LiveTopic);
  }
  return { topics: [...new Set(topics)], byKind };
}
