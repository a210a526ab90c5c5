import { VALID_WEBHOOK_EVENTS, type WebhookAction, type WebhookEntity, type WebhookEventRef } from '@trove/protocol';

/** The event log's entity names that MLflow reports under a `prompt_*` entity when the model is a prompt. */
const PROMPT_ENTITIES: Record<string, string> = {
  model_version: 'prompt_version',
  model_version_tag: 'prompt_version_tag',
  model_version_alias: 'prompt_alias',
  registered_model_tag: 'prompt_tag',
};

export const promptEntityFor = (entity: string): string | undefined => PROMPT_ENTITIES[entity];

/** Whether a webhook can subscribe to this lower-case (entity, action) at all. */
export function isSubscribable(entity: string, action: string): boolean {
  const allowed = VALID_WEBHOOK_EVENTS[entity.toUpperCase() as WebhookEntity];
  return allowed?.includes(action.toUpperCase() as WebhookAction) ?? false;
}

/** MLflow's payload fields per event (mlflow/webhooks/types.py); Trove's own events send their whole payload. */
const MLFLOW_FIELDS: Record<string, string[]> = {
  'registered_model.created': ['name', 'tags', 'description'],
  'prompt.created': ['name', 'tags', 'description'],
  'model_version.created': ['name', 'version', 'source', 'run_id', 'tags', 'description'],
  'prompt_version.created': ['name', 'version', 'source', 'run_id', 'tags', 'description'],
  'model_version_tag.set': ['name', 'version', 'key', 'value'],
  'prompt_version_tag.set': ['name', 'version', 'key', 'value'],
  'model_version_tag.deleted': ['name', 'version', 'key'],
  'prompt_version_tag.deleted': ['name', 'version', 'key'],
  'prompt_tag.set': ['name', 'key', 'value'],
  'prompt_tag.deleted': ['name', 'key'],
  'model_version_alias.created': ['name', 'alias', 'version'],
  'prompt_alias.created': ['name', 'alias', 'version'],
  'model_version_alias.deleted': ['name', 'alias'],
  'prompt_alias.deleted': ['name', 'alias'],
};

export function webhookData(entity: string, action: string, payload: Record<string, unknown>): Record<string, unknown> {
  const fields = MLFLOW_FIELDS[`${entity}.${action}`];
  return fields ? Object.fromEntries(fields.map((f) => [f, payload[f] ?? null])) : payload;
}

/** The delivery body, fixed when the delivery is queued so every retry sends (and signs) the same bytes. */
export function deliveryBody(entity: string, action: string, data: Record<string, unknown>, time: number): string {
  return JSON.stringify({ entity, action, timestamp: new Date(time).toISOString(), data });
}

const EXAMPLES: Record<string, Record<string, unknown>> = {
  registered_model: {
    name: 'example_model',
    tags: { example_key: 'example_value' },
    description: 'An example registered model',
  },
  model_version: {
    name: 'example_model',
    version: '1',
    source: 'runs:/abcd1234abcd5678/model',
    run_id: 'abcd1234abcd5678',
    tags: { example_key: 'example_value' },
    description: 'An example model version',
  },
  model_version_tag: { name: 'example_model', version: '1', key: 'example_key', value: 'example_value' },
  model_version_alias: { name: 'example_model', alias: 'example_alias', version: '1' },
  registered_model_tag: { name: 'example_prompt', key: 'example_key', value: 'example_value' },
  transition_request: {
    request_id: '1',
    name: 'example_model',
    version: '1',
    action: 'transition',
    stage: 'Production',
    requester: 'alice',
    comment: 'Ready for production',
    status: 'pending',
    approvals: 0,
    required_approvals: 1,
  },
  comment: { comment_id: '1', name: 'example_model', version: '1', author: 'alice', body: 'Looks good' },
  run: {
    run_id: 'abcd1234abcd5678',
    experiment_id: '0',
    run_name: 'example-run',
    status: 'FINISHED',
    user_id: 'alice',
  },
  deployment: {
    name: 'example_model',
    version: '1',
    environment: 'prod',
    status: 'running',
    url: 'https://models.example.com/example_model',
    deployment_id: '1',
  },
};

/** A sample payload for `webhooks/{id}/test`. */
export function examplePayload(event: WebhookEventRef): {
  entity: string;
  action: string;
  data: Record<string, unknown>;
} {
  const entity = event.entity.toLowerCase();
  const action = event.action.toLowerCase();
  const base =
    Object.entries(PROMPT_ENTITIES).find(([, p]) => p === entity)?.[0] ??
    (entity === 'prompt' ? 'registered_model' : entity);
  return { entity, action, data: webhookData(entity, action, { ...EXAMPLES[base] }) };
}
