import { appendLiveEvent, type MetricPoint, type NewLiveEvent, type StoreDb } from '@trove/store';
import type { RegistryEvent } from './registry-events.ts';

/**
 * What the live-event stream carries (`GET /api/trove/v1/events`). Topics are what a page
 * subscribes to: `experiment:<id>`, `run:<run_uuid>`, `model:<name>`, `user:<name>`; in the log
 * each is stored under its workspace (`<workspace id>/<topic>`), as model and user names are
 * per workspace.
 */
export type LiveTopic = `${'experiment' | 'run' | 'model' | 'user'}:${string}`;

export const scopedTopic = (workspaceId: number, topic: string): string => `${workspaceId}/${topic}`;

/** Appends an event for `topics` in the caller's transaction (notifications and others use this directly). */
export function publishLive(
  db: StoreDb,
  workspaceId: number,
  topics: LiveTopic[],
  name: string,
  payload: Record<string, unknown>,
): Promise<void> {
  return appendLiveEvent(db, { topics: topics.map((t) => scopedTopic(workspaceId, t)), name, payload });
}

/** JSON cannot carry a BigInt: steps beyond 2^53 travel as decimal strings. */
const jsonStep = (s: number | bigint): number | string =>
  typeof s === 'bigint' ? (Number.isSafeInteger(Number(s)) ? Number(s) : s.toString()) : s;

/**
 * The one `metrics` event of a logging request: its keys and the largest step of each, so a page
 * asks the chart endpoint for what it has not drawn instead of one event per point.
 */
export function metricsLiveEvent(
  workspaceId: number,
  run: { run_uuid: string; experiment_id: number | string },
  points: MetricPoint[],
): NewLiveEvent | undefined {
  if (points.length === 0) return undefined;
  const steps = new Map<string, number | bigint>();
  for (const p of points) {
    const seen = steps.get(p.key);
    if (seen === undefined || p.step > seen) steps.set(p.key, p.step);
  }
  const experimentId = String(run.experiment_id);
  return {
    topics: [scopedTopic(workspaceId, `run:${run.run_uuid}`), scopedTopic(workspaceId, `experiment:${experimentId}`)],
    name: 'metrics',
    payload: {
      run_id: run.run_uuid,
      experiment_id: experimentId,
      max_steps: Object.fromEntries([...steps].map(([k, s]) => [k, jsonStep(s)])),
    },
  };
}

/** Registry entities by the stream's event name; anything else not listed here is a `registry` change. */
const NAME_OF_ENTITY: Record<string, string> = {
  run: 'run',
  comment: 'comment',
  transition_request: 'review',
  review_policy: 'review',
  deployment: 'deployment',
  alert: 'alert',
  notification: 'notification',
};

/**
 * The live event of a `recordEvent` call, by entity and action alone, so entities added later
 * (deployments, alerts, …) reach open pages with no change here: to the model's topic when it
 * names a model, the run's when it names a run, and the experiment's when the payload names one.
 */
export function publishRecordedEvent(db: StoreDb, e: RegistryEvent): Promise<void> {
  const topics: LiveTopic[] = [];
  if (e.modelName !== '') topics.push(`model:${e.modelName}`);
  if (e.runId) topics.push(`run:${e.runId}`);
  const experimentId = e.payload.experiment_id;
  if (typeof experimentId === 'string' || typeof experimentId === 'number') topics.push(`experiment:${experimentId}`);
  if (topics.length === 0) return Promise.resolve();
  const name = NAME_OF_ENTITY[e.entity] ?? 'registry';
  return publishLive(db, e.workspaceId, topics, name, {
    entity: e.entity,
    action: e.action,
    ...(e.modelName === '' ? {} : { name: e.modelName }),
    ...(e.version === undefined ? {} : { version: String(e.version) }),
    ...(e.runId ? { run_id: e.runId } : {}),
    ...(e.actor ? { actor: e.actor } : {}),
    payload: e.payload,
  });
}
