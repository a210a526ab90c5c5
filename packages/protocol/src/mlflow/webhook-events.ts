import { describeValue } from '../describe-value.ts';
import { invalidParam } from '../errors.ts';

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
  // Trove: review requests (stage transitions and alias changes), comments, runs.
  TRANSITION_REQUEST: 1001,
  COMMENT: 1002,
  RUN: 1003,
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
};

export interface WebhookEventRef {
  entity: WebhookEntity;
  action: WebhookAction;
}

function enumName<T extends Record<string, number>>(table: T, v: unknown, field: string): keyof T & string {
  if (typeof v === 'string' && v.toUpperCase() in table) return v.toUpperCase() as keyof T & string;
  if (typeof v === 'number') {
    const found = Object.keys(table).find((k) => table[k] === v);
    if (found) return found as keyof T & string;
  }
  throw invalidParam(`Invalid value ${describeValue(v)} for '${field}'.`);
}

/** Reads one `{entity, action}` object and checks the pair is one a webhook may subscribe to. */
export function readWebhookEvent(v: unknown, field = 'event'): WebhookEventRef {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw invalidParam(`'${field}' must be an object with 'entity' and 'action'.`);
  const o = v as Record<string, unknown>;
  if (o.entity === undefined || o.entity === null || o.entity === '')
    throw invalidParam(`Missing value for required parameter '${field}.entity'.`);
  if (o.action === undefined || o.action === null || o.action === '')
    throw invalidParam(`Missing value for required parameter '${field}.action'.`);
  const entity = enumName(WEBHOOK_ENTITIES, o.entity, `${field}.entity`);
  const action = enumName(WEBHOOK_ACTIONS, o.action, `${field}.action`);
  if (!VALID_WEBHOOK_EVENTS[entity].includes(action)) {
    throw invalidParam(
      `Invalid action '${action}' for entity '${entity}'. Valid actions are: ${VALID_WEBHOOK_EVENTS[entity].join(', ')}.`,
    );
  }
  return { entity, action };
}

/** Lower-case names as deliveries and the event log use them (`model_version`, `created`). */
export const eventKey = (e: WebhookEventRef) => ({ entity: e.entity.toLowerCase(), action: e.action.toLowerCase() });
