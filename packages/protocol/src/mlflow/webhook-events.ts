import * as z from 'zod/mini';
import { describeValue } from '../describe-value.ts';
import { type DocumentIssue, fieldName, parseDocument } from '../document.ts';

/**
 * Webhook event vocabulary. MLflow's `WebhookEntity` / `WebhookAction` enums (reference §3.4) keep
 * their names and numbers; Trove's extension uses numbers from 1001 up so it can never collide
 * with values MLflow adds later. On the wire events are `{entity, action}` with upper-case enum
 * names (numbers are accepted on input); a delivery names them in lower case, as MLflow does.
 */
export const WEBHOOK_ENTITIES = {
  REGISTERED_MODEL: 1,
  MODEL_VERSION: 2,
  MODEL_VERSION_TAG: 3,
  MODEL_VERSION_ALIAS: 4,
  PROMPT: 5,
  PROMPT_VERSION: 6,
  PROMPT_TAG: 7,
  PROMPT_VERSION_TAG: 8,
  PROMPT_ALIAS: 9,
  // Trove: review requests (stage transitions and alias changes), comments, runs, deployments, alerts.
  TRANSITION_REQUEST: 1001,
  COMMENT: 1002,
  RUN: 1003,
  DEPLOYMENT: 1004,
  ALERT: 1005,
} as const;

export const WEBHOOK_ACTIONS = {
  CREATED: 1,
  UPDATED: 2,
  DELETED: 3,
  SET: 4,
  // Trove
  APPROVED: 1001,
  REJECTED: 1002,
  CANCELLED: 1003,
  FINISHED: 1004,
  FAILED: 1005,
  FIRED: 1006,
} as const;

export type WebhookEntity = keyof typeof WEBHOOK_ENTITIES;
export type WebhookAction = keyof typeof WEBHOOK_ACTIONS;

/** The (entity → actions) pairs a webhook may subscribe to. */
export const VALID_WEBHOOK_EVENTS: Record<WebhookEntity, readonly WebhookAction[]> = {
  REGISTERED_MODEL: ['CREATED'],
  MODEL_VERSION: ['CREATED'],
  MODEL_VERSION_TAG: ['SET', 'DELETED'],
  MODEL_VERSION_ALIAS: ['CREATED', 'DELETED'],
  PROMPT: ['CREATED'],
  PROMPT_VERSION: ['CREATED'],
  PROMPT_TAG: ['SET', 'DELETED'],
  PROMPT_VERSION_TAG: ['SET', 'DELETED'],
  PROMPT_ALIAS: ['CREATED', 'DELETED'],
  TRANSITION_REQUEST: ['CREATED', 'APPROVED', 'REJECTED', 'CANCELLED'],
  COMMENT: ['CREATED', 'UPDATED', 'DELETED'],
  RUN: ['FINISHED', 'FAILED'],
  DEPLOYMENT: ['CREATED'],
  ALERT: ['FIRED'],
};

/** A known spelling of a name (any case) or its number → the name; anything else unchanged, for the enum to refuse. */
function enumName<T extends Record<string, number>>(table: T) {
  const names = Object.keys(table) as [keyof T & string, ...(keyof T & string)[]];
  return z.pipe(
    z.transform((v: unknown) => {
      if (typeof v === 'string' && v.toUpperCase() in table) return v.toUpperCase();
      if (typeof v === 'number') return names.find((k) => table[k] === v) ?? v;
      return v;
    }),
    z.enum(names),
  );
}

/**
 * One `{entity, action}` object (names in any case, or their numbers) naming a pair a webhook may
 * subscribe to; other fields are ignored.
 */
function webhookEventSchema() {
  return z.object({ entity: enumName(WEBHOOK_ENTITIES), action: enumName(WEBHOOK_ACTIONS) }).check(
    z.refine((e) => VALID_WEBHOOK_EVENTS[e.entity].includes(e.action), {
      error: (iss) => {
        const { entity, action } = iss.input as { entity: WebhookEntity; action: WebhookAction };
        return `Invalid action '${action}' for entity '${entity}'. Valid actions are: ${VALID_WEBHOOK_EVENTS[entity].join(', ')}.`;
      },
    }),
  );
}
export type WebhookEventRef = z.infer<ReturnType<typeof webhookEventSchema>>;

/** A webhook's `events`: at least one. */
function webhookEventListSchema() {
  return z.array(webhookEventSchema()).check(z.minLength(1, { error: 'Webhook events must not be empty.' }));
}

const isMissing = (v: unknown) => v === undefined || v === null || v === '';

/** MLflow's messages for a refused event, naming the field as `events[0].entity`; a missing name first. */
function describeEventIssues(field: string) {
  return (issues: readonly DocumentIssue[]): string => {
    const iss = issues.find((i) => typeof i.path.at(-1) === 'string' && isMissing(i.input)) ?? issues[0];
    const name = fieldName(field, iss.path);
    if (typeof iss.path.at(-1) === 'string')
      return isMissing(iss.input)
        ? `Missing value for required parameter '${name}'.`
        : `Invalid value ${describeValue(iss.input)} for '${name}'.`;
    if (iss.code !== 'invalid_type') return iss.message; // an empty list, a pair no webhook may subscribe to
    return iss.expected === 'array'
      ? `'${name}' must be a list of objects with 'entity' and 'action'.`
      : `'${name}' must be an object with 'entity' and 'action'.`;
  };
}

/** Reads one `{entity, action}` object and checks the pair is one a webhook may subscribe to. */
export function readWebhookEvent(v: unknown, field = 'event'): WebhookEventRef {
  return parseDocument(webhookEventSchema, v, describeEventIssues(field));
}

/** Reads a webhook's `events` list (at least one event). */
export function readWebhookEvents(v: unknown, field = 'events'): WebhookEventRef[] {
  return parseDocument(webhookEventListSchema, v, describeEventIssues(field));
}

/** Lower-case names as deliveries and the event log use them (`model_version`, `created`). */
export const eventKey = (e: WebhookEventRef) => ({ entity: e.entity.toLowerCase(), action: e.action.toLowerCase() });
