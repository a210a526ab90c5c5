import { defineMessage, enumOf, str, strList } from '../message.ts';
import { VIEW_TYPES } from '../mlflow/enums.ts';

/**
 * `GET /api/trove/v1/experiments/{experiment_id}/runs.csv`: every run of the experiment that
 * matches `filter` (MLflow's grammar, as the runs search takes it), in `order_by` order, one CSV
 * row each. `column` (repeated) names the columns after `run_id` and `run_name`, as the runs
 * table names them: `attributes.status`, `attributes.start_time`, `attributes.end_time`,
 * `duration`, `attributes.user_id`, `tag-chips`, `metrics.<key>`, `params.<key>`, `tags.<key>`;
 * `*` adds every metric, param and (non-`mlflow.`) tag key of the experiment.
 */
export const ExportRunsCsv = defineMessage({
  filter: str(),
  order_by: strList(),
  run_view_type: enumOf(VIEW_TYPES),
  column: strList(),
});
