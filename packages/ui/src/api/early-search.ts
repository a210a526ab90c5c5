/**
 * The runs search an experiment page opened with a plain URL (`/experiments/<id>`, no query)
 * sends first, as text with `__EXPERIMENT_ID__` for the id. Pure data, read by the build
 * (build-plugins/early-requests.ts) to start it from index.html; packages/ui/test/early-requests.test.ts
 * checks it equals what the page's own query sends.
 */
export const RUN_SEARCH_PATH = '/ajax-api/2.0/mlflow/runs/search';
/** The experiment both pages show (name, description) comes with them: `?experiment_id=<id>` as URLSearchParams writes it. */
export const EXPERIMENT_GET_PATH = '/ajax-api/2.0/mlflow/experiments/get';
export const EXPERIMENT_ID_SLOT = '__EXPERIMENT_ID__';
export const DEFAULT_RUN_SEARCH_BODY = `{"experiment_ids":[${EXPERIMENT_ID_SLOT}],"run_view_type":"ACTIVE_ONLY","order_by":["attributes.start_time DESC"],"max_results":100}`;
