import type { Need } from './levels.ts';

/** What the guard can read of a request to find the resource it addresses. */
export interface AccessInput {
  /** The decoded input (JSON routes) or the query string (raw routes). */
  input: Record<string, unknown>;
  params: Record<string, string>;
  /** The URL path after the route's prefix, for the artifact proxy (`/artifacts/<exp>/<run>/…`). */
  tail?: string;
}

export type Locate = (req: AccessInput) => string | string[] | undefined;

/**
 * Every route's permission. The router refuses to mount a route that has none (the app does not
 * start), so a new route cannot be reachable without a decision here; the authorization matrix
 * test walks this table.
 * - `public`: anyone, signed in or not (health, sign-in).
 * - `user`: any signed-in caller; what it touches is checked further by the handler or is the caller's own.
 * - `admin`: server admins.
 * - `self`: admins, or the user the request names (MLflow's `users/get`, `users/update-password`); `optional`:
 *   also a request that names no user.
 * - `workspace`: a level in the addressed workspace (role, else the default role).
 * - `experiment` / `run` / `model` / `loggedModel` / `trace` / `artifactPath`: a level on that resource, found by `from`
 *   (several ids: every one of them must pass). A request that names none needs the level in the workspace,
 *   unless the access is `optional` (a part of `all` for a resource the request may leave out).
 * - `view`: the level on the saved view's experiment; to change it, also its owner or a workspace manager.
 * - `comment`: reading what the comment hangs on (a run's experiment, a model); to change it, also its
 *   author or a workspace manager.
 * - `all`: every one of `of` must pass (a request that touches several resources).
 * - `filtered`: any signed-in caller; the handler narrows what it returns to what the caller may read.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'user' }
  | { kind: 'admin' }
  | { kind: 'self'; field: string; optional?: boolean }
  | { kind: 'workspace'; need: Need | 'admin' }
  | { kind: 'experiment' | 'run' | 'model' | 'loggedModel' | 'trace'; need: Need; from: Locate; optional?: boolean }
  | { kind: 'artifactPath'; need: Need; from: Locate }
  | { kind: 'view' | 'comment'; need: Need; from: Locate }
  | { kind: 'all'; of: Access[] }
  | { kind: 'filtered' };

export const field =
  (...names: string[]): Locate =>
  ({ input }) => {
    for (const n of names) {
      const v = input[n];
      if (typeof v === 'string' && v !== '') return v;
      if (Array.isArray(v) && v.length > 0) return v.map(String);
    }
    return undefined;
  };
export const param =
  (name: string): Locate =>
  ({ params }) =>
    params[name];

export const PUBLIC: Access = { kind: 'public' };
export const USER: Access = { kind: 'user' };
export const ADMIN: Access = { kind: 'admin' };
export const FILTERED: Access = { kind: 'filtered' };
const ws = (need: Need | 'admin'): Access => ({ kind: 'workspace', need });
export const experiment = (need: Need, from: Locate = field('experiment_id')): Access => ({
  kind: 'experiment',
  need,
  from,
});
export const run = (need: Need, from: Locate = field('run_id', 'run_uuid')): Access => ({ kind: 'run', need, from });
export const model = (need: Need, from: Locate = field('name')): Access => ({ kind: 'model', need, from });
export const loggedModel = (need: Need, from: Locate = param('model_id')): Access => ({
  kind: 'loggedModel',
  need,
  from,
});
/** A trace, by MLflow's id (V2 `request_id`, V3 `trace_id`): a level on its experiment. */
export const trace = (need: Need, from: Locate = param('trace_id')): Access => ({ kind: 'trace', need, from });
export const artifactPath = (need: Need, from: Locate = ({ tail }) => tail): Access => ({
  kind: 'artifactPath',
  need,
  from,
});
const all = (...of: Access[]): Access => ({ kind: 'all', of });
const optional = (access: Access): Access => ({ ...access, optional: true }) as Access;

const text = (v: unknown) => (typeof v === 'string' ? v : '');
/** MLflow runs without an experiment id in the Default experiment ("0"). */
const experimentOrDefault: Locate = ({ input }) => text(input.experiment_id) || '0';
/** The runs a new model version reads: its `run_id` and the run of a `runs:/<id>/…` source. */
const sourceRuns: Locate = ({ input }) => {
  const fromSource = /^runs:\/([^/]+)/.exec(text(input.source))?.[1];
  return [text(input.run_id), fromSource ?? ''].filter((id) => id !== '');
};
/** The logged model a new model version copies: `model_id`, or a `models:/m-<id>` source. */
const sourceLoggedModels: Locate = ({ input }) => {
  const fromSource = /^models:\/(m-[0-9a-f]{32})\/?$/.exec(text(input.source))?.[1];
  return [text(input.model_id), fromSource ?? ''].filter((id) => id !== '');
};
/** The registered model a `models:/<name>/<version>` (or `@alias`) source copies. */
const sourceModels: Locate = ({ input }) => {
  const name = /^models:\/([^/@]+)/.exec(text(input.source))?.[1];
  return name === undefined || /^m-[0-9a-f]{32}$/.test(name) ? undefined : name;
};
/** The experiment of an MLflow trace location (V3: `{mlflow_experiment: {experiment_id}}`). */
const locationExperiment = (v: unknown): string => {
  const exp = v !== null && typeof v === 'object' ? (v as { mlflow_experiment?: { experiment_id?: unknown } }) : {};
  const id = exp.mlflow_experiment?.experiment_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
};
/** StartTrace's `experiment_id` (V2) or StartTraceV3's `trace.trace_info.trace_location`. */
const traceStartExperiment: Locate = ({ input }) => {
  if (typeof input.experiment_id === 'string' && input.experiment_id !== '') return input.experiment_id;
  const trace = input.trace as { trace_info?: { trace_location?: unknown } } | undefined;
  return locationExperiment(trace?.trace_info?.trace_location) || undefined;
};
/** SearchTracesV3's `locations`. */
const traceLocations: Locate = ({ input }) => {
  const ids = (Array.isArray(input.locations) ? input.locations : []).map(locationExperiment).filter((id) => id);
  return ids.length > 0 ? ids : undefined;
};
const view = (need: Need): Access => ({ kind: 'view', need, from: param('view_id') });
const comment = (need: Need): Access => ({ kind: 'comment', need, from: param('comment_id') });
/** A watch names one experiment, run or model; the service refuses a request naming none or several. */
const watchTarget = all(optional(experiment('read')), optional(run('read', field('run_id'))), optional(model('read')));

/** `api method path` → access. MLflow's choices where MLflow makes one (`mlflow/server/auth/__init__.py`). */
const TABLE: Record<string, Access> = {
  // Experiments
  'mlflow POST /experiments/create': ws('update'),
  'mlflow GET /experiments/get': experiment('read'),
  'mlflow GET /experiments/get-by-name': { kind: 'experiment', need: 'read', from: field('experiment_name') },
  'mlflow POST /experiments/search': FILTERED,
  'mlflow GET /experiments/search': FILTERED,
  'mlflow POST /experiments/delete': experiment('delete'),
  'mlflow POST /experiments/restore': experiment('delete'),
  'mlflow POST /experiments/update': experiment('update'),
  'mlflow POST /experiments/set-experiment-tag': experiment('update'),
  'mlflow POST /experiments/delete-experiment-tag': experiment('update'),
  'mlflow POST /experiments/search-datasets': experiment('read', field('experiment_ids')),
  // Runs
  'mlflow POST /runs/create': experiment('update', experimentOrDefault),
  'mlflow GET /runs/get': run('read'),
  'mlflow POST /runs/update': run('update'),
  'mlflow POST /runs/delete': run('delete'),
  'mlflow POST /runs/restore': run('delete'),
  'mlflow POST /runs/search': FILTERED,
  'mlflow POST /runs/log-metric': run('update'),
  'mlflow POST /runs/log-parameter': run('update'),
  'mlflow POST /runs/set-tag': run('update'),
  'mlflow POST /runs/delete-tag': run('update'),
  'mlflow POST /runs/log-batch': run('update'),
  'mlflow POST /runs/log-model': run('update'),
  'mlflow POST /runs/log-inputs': run('update'),
  'mlflow POST /runs/outputs': run('update'),
  'mlflow POST /runs/create-promptlab-run': experiment('update'),
  'mlflow GET /metrics/get-history': run('read'),
  'mlflow GET /metrics/get-history-bulk-interval': run('read', field('run_ids')),
  'mlflow GET /metrics/get-history-bulk': run('read', field('run_id')),
  'trove GET /metrics/chart': run('read', field('run_ids')),
  'trove POST /runs/:run_id/log': run('update', param('run_id')),
  'trove GET /runs/:run_id/params': run('read', param('run_id')),
  'trove GET /runs/:run_id/metric-summaries': run('read', param('run_id')),
  'trove GET /runs/:run_id/mlmodel': run('read', param('run_id')),
  'trove GET /runs/:run_id/activity': run('read', param('run_id')),
  'trove POST /runs/:run_id/comments': run('read', param('run_id')),
  'trove GET /runs/:run_id/comments': run('read', param('run_id')),
  'trove POST /runs/delete': run('delete', field('run_ids')),
  'trove POST /runs/restore': run('delete', field('run_ids')),
  // Logged models
  'mlflow POST /logged-models': all(experiment('update'), optional(run('read', field('source_run_id')))),
  'mlflow POST /logged-models/search': experiment('read', field('experiment_ids')),
  'mlflow GET /logged-models/:model_id': loggedModel('read'),
  'mlflow PATCH /logged-models/:model_id': loggedModel('update'),
  'mlflow DELETE /logged-models/:model_id': loggedModel('delete'),
  'mlflow PATCH /logged-models/:model_id/tags': loggedModel('update'),
  'mlflow DELETE /logged-models/:model_id/tags/:tag_key': loggedModel('update'),
  'mlflow POST /logged-models/:model_id/params': loggedModel('update'),
  'mlflow GET /logged-models/:model_id/artifacts/directories': loggedModel('read'),
  'mlflow GET /logged-models/:model_id/artifacts/files': loggedModel('read'),
  // Traces, V2 (`/api/2.0/mlflow/traces…`)
  // V2 and V3 share these keys: StartTrace names `experiment_id`, StartTraceV3 a trace location.
  'mlflow POST /traces': experiment('update', traceStartExperiment),
  'mlflow PATCH /traces/:request_id': trace('update', param('request_id')),
  'mlflow GET /traces/:request_id/info': trace('read', param('request_id')),
  'mlflow GET /traces': experiment('read', field('experiment_ids')),
  'mlflow POST /traces/delete-traces': experiment('delete'),
  'mlflow PATCH /traces/:request_id/tags': trace('update', param('request_id')),
  'mlflow DELETE /traces/:request_id/tags': trace('update', param('request_id')),
  'mlflow POST /traces/link-to-run': all(run('update'), trace('read', field('trace_ids'))),
  'mlflow GET /get-trace-artifact': trace('read', field('request_id')),
  // OpenTelemetry ingest: the experiment named by the `x-mlflow-experiment-id` header, which the route hands the guard.
  'root POST /v1/traces': experiment('update'),
  // Traces, the UI's views
  'trove GET /experiments/:experiment_id/traces': experiment('read', param('experiment_id')),
  'trove GET /runs/:run_id/traces': run('read', param('run_id')),
  'trove GET /traces/:trace_id': trace('read'),
  'trove GET /traces/:trace_id/spans/:span_id': trace('read'),
  // Traces, V3 (`/api/3.0/mlflow/traces…`) and assessments
  'mlflow GET /traces/:trace_id': trace('read'),
  'mlflow GET /traces/get': trace('read', field('trace_id')),
  'mlflow GET /traces/batchGet': trace('read', field('trace_ids')),
  'mlflow POST /traces/search': experiment('read', traceLocations),
  'mlflow POST /traces/calculate-filter-correlation': experiment('read', field('experiment_ids')),
  'mlflow PATCH /traces/:trace_id/tags': trace('update'),
  'mlflow DELETE /traces/:trace_id/tags': trace('update'),
  'mlflow POST /traces/:trace_id/assessments': trace('update'),
  'mlflow GET /traces/:trace_id/assessments/:assessment_id': trace('read'),
  'mlflow PATCH /traces/:trace_id/assessments/:assessment_id': trace('update'),
  'mlflow DELETE /traces/:trace_id/assessments/:assessment_id': trace('update'),
  // Registry
  'mlflow POST /registered-models/create': ws('update'),
  'mlflow GET /registered-models/get': model('read'),
  'mlflow POST /registered-models/rename': model('update'),
  'mlflow PATCH /registered-models/update': model('update'),
  'mlflow DELETE /registered-models/delete': model('delete'),
  'mlflow GET /registered-models/search': FILTERED,
  'mlflow POST /registered-models/get-latest-versions': model('read'),
  'mlflow GET /registered-models/get-latest-versions': model('read'),
  'mlflow POST /registered-models/set-tag': model('update'),
  'mlflow DELETE /registered-models/delete-tag': model('update'),
  'mlflow POST /registered-models/alias': model('update'),
  'mlflow DELETE /registered-models/alias': model('delete'),
  'mlflow GET /registered-models/alias': model('read'),
  // The source's run, logged model or model version are read: a caller who may not read them may not copy them.
  'mlflow POST /model-versions/create': all(
    model('update'),
    optional(run('read', sourceRuns)),
    optional(loggedModel('read', sourceLoggedModels)),
    optional(model('read', sourceModels)),
  ),
  'mlflow GET /model-versions/get': model('read'),
  'mlflow PATCH /model-versions/update': model('update'),
  'mlflow POST /model-versions/transition-stage': model('update'),
  'mlflow DELETE /model-versions/delete': model('delete'),
  'mlflow GET /model-versions/search': FILTERED,
  'mlflow GET /model-versions/get-download-uri': model('read'),
  'mlflow POST /model-versions/set-tag': model('update'),
  'mlflow DELETE /model-versions/delete-tag': model('delete'),
  'root GET /model-versions/get-artifact': model('read'),
  'trove GET /registered-models/:name/versions/:version': model('read', param('name')),
  'trove GET /registered-models/:name/versions/:version/history': model('read', param('name')),
  'trove GET /registered-models/:name/activity': model('read', param('name')),
  'trove GET /registered-models/:name/review-policy': model('read', param('name')),
  'trove PUT /registered-models/:name/review-policy': model('manage', param('name')),
  'trove POST /registered-models/:name/versions/:version/requests': model('update', param('name')),
  'trove GET /registered-models/:name/requests': model('read', param('name')),
  'trove GET /registered-models/:name/requests/:request_id': model('read', param('name')),
  // Who may approve is the policy's decision (review-decision.service.ts); reading the model is the floor.
  'trove POST /registered-models/:name/requests/:request_id/approve': model('read', param('name')),
  'trove POST /registered-models/:name/requests/:request_id/reject': model('read', param('name')),
  'trove POST /registered-models/:name/requests/:request_id/cancel': model('read', param('name')),
  'trove POST /registered-models/:name/versions/:version/comments': model('read', param('name')),
  'trove GET /registered-models/:name/versions/:version/comments': model('read', param('name')),
  // Deployments: recording one edits the model, as creating a version does.
  'trove POST /deployments': model('update'),
  'trove POST /deployments/hook': model('update', field('model')),
  'trove GET /registered-models/:name/deployments': model('read', param('name')),
  'trove PATCH /comments/:comment_id': comment('update'),
  'trove DELETE /comments/:comment_id': comment('delete'),
  // Artifacts
  'mlflow GET /artifacts/list': run('read'),
  'root GET /get-artifact': run('read'),
  'mlflow POST /upload-artifact': run('update'),
  'mlflow-artifacts GET /artifacts': artifactPath('read', field('path')),
  'mlflow-artifacts GET /artifacts/*': artifactPath('read'),
  'mlflow-artifacts PUT /artifacts/*': artifactPath('update'),
  'mlflow-artifacts DELETE /artifacts/*': artifactPath('delete'),
  'mlflow-artifacts POST /mpu/create/*': artifactPath('update'),
  'mlflow-artifacts POST /mpu/complete/*': artifactPath('update'),
  'mlflow-artifacts POST /mpu/abort/*': artifactPath('update'),
  // Workspace-wide documents
  'mlflow GET /gateway-proxy': USER,
  'mlflow POST /gateway-proxy': USER,
  'trove-server GET /workspaces': USER,
  'trove-server POST /workspaces': ADMIN,
  'trove-server GET /workspaces/:name': USER,
  'mlflow POST /webhooks': ws('manage'),
  'mlflow GET /webhooks': ws('manage'),
  'mlflow GET /webhooks/:webhook_id': ws('manage'),
  'mlflow PATCH /webhooks/:webhook_id': ws('manage'),
  'mlflow DELETE /webhooks/:webhook_id': ws('manage'),
  'mlflow POST /webhooks/:webhook_id/test': ws('manage'),
  'trove GET /webhooks/:webhook_id/deliveries': ws('manage'),
  'trove GET /webhooks/deliveries/:delivery_id': ws('manage'),
  'trove POST /webhooks/deliveries/:delivery_id/redeliver': ws('manage'),
  'trove GET /run-tags': experiment('read'),
  'trove POST /run-tags/rename': experiment('update'),
  'trove POST /run-tags/delete': experiment('update'),
  'trove POST /run-tags/set': run('update', field('run_ids')),
  'trove GET /tag-colors': ws('read'),
  'trove PUT /tag-colors': ws('update'),
  'trove DELETE /tag-colors': ws('update'),
  'trove POST /experiments/:experiment_id/views': experiment('read', param('experiment_id')),
  'trove GET /experiments/:experiment_id/views': experiment('read', param('experiment_id')),
  'trove GET /views/:view_id': view('read'),
  'trove PATCH /views/:view_id': view('update'),
  'trove DELETE /views/:view_id': view('update'),
  // Notifications: the caller's own watches, inbox and settings. Watching needs read on what is watched.
  'trove PUT /watches': watchTarget,
  'trove DELETE /watches': watchTarget,
  'trove GET /watches/status': watchTarget,
  'trove GET /watches': USER,
  'trove GET /notifications': USER,
  'trove GET /notifications/unread-count': USER,
  'trove POST /notifications/read': USER,
  'trove GET /me/notification-preferences': USER,
  'trove PUT /me/notification-preferences': USER,
  'trove POST /me/notification-preferences/test': USER,
  'trove GET /experiments/:experiment_id/keys': experiment('read', param('experiment_id')),
  // Alerts: rules are the experiment's settings (edit to change them, as experiment tags)
  'trove GET /experiments/:experiment_id/alert-rules': experiment('read', param('experiment_id')),
  'trove POST /experiments/:experiment_id/alert-rules': experiment('update', param('experiment_id')),
  'trove PATCH /experiments/:experiment_id/alert-rules/:rule_id': experiment('update', param('experiment_id')),
  'trove DELETE /experiments/:experiment_id/alert-rules/:rule_id': experiment('update', param('experiment_id')),
  'trove GET /experiments/:experiment_id/alerts': experiment('read', param('experiment_id')),
  'trove GET /runs/:run_id/alerts': run('read', param('run_id')),
  'trove GET /experiments/:experiment_id/runs.csv': experiment('read', param('experiment_id')),
  'trove GET /projects': ws('read'),
  'trove POST /projects': ws('update'),
  'trove GET /projects/:project_id': ws('read'),
  'trove PATCH /projects/:project_id': ws('update'),
  'trove DELETE /projects/:project_id': ws('manage'),
  // Filing something in a project changes the project: the workspace level for that, and reading what is filed.
  'trove POST /projects/:project_id/experiments': all(ws('update'), experiment('read')),
  'trove DELETE /projects/:project_id/experiments/:experiment_id': ws('update'),
  'trove POST /projects/:project_id/registered-models': all(ws('update'), model('read')),
  'trove DELETE /projects/:project_id/registered-models/:name': ws('update'),
  'trove GET /search': FILTERED,
  // Live events: reading every experiment, run and model a topic names, and only one's own inbox.
  'trove GET /events': all(
    optional(experiment('read', field('experiment_ids'))),
    optional(run('read', field('run_ids'))),
    optional(model('read', field('names'))),
    { kind: 'self', field: 'user', optional: true },
  ),
  // The walk only goes through what the caller may read; a root they may not read is not found.
  'trove GET /lineage': FILTERED,
  'root GET /graphql': FILTERED,
  'root POST /graphql': FILTERED,
};

export function routeKey(api: string, method: string, path: string): string {
  return `${api} ${method} ${path}`;
}

export function accessFor(api: string, method: string, path: string): Access | undefined {
  return TABLE[routeKey(api, method, path)];
}
