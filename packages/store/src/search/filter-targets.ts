import { type Expression, type SqlBool, sql } from 'kysely';
import type { Comparison } from './ast.ts';
import { type CompareFn, columnPredicate, metricPredicate, stringPredicate } from './filter-compiler.ts';
import type { SearchSqlOps } from './sql-ops.ts';

/** Attribute key → `runs` column. run_name uses runs.name, which the store keeps equal to tag mlflow.runName. */
export const RUN_ATTRIBUTE_COLUMNS: Record<string, string> = {
  run_id: 'run_uuid',
  run_name: 'name',
  user_id: 'user_id',
  status: 'status',
  artifact_uri: 'artifact_uri',
  start_time: 'start_time',
  end_time: 'end_time',
};

// Each key-value clause is an EXISTS on the child table's (run_id, key) primary key, so a run
// without the key never matches, whatever the operator.
export function runCompare(ops: SearchSqlOps): CompareFn {
  const runId = sql.ref('runs.id');
  return (c: Comparison): Expression<SqlBool> => {
    switch (c.kind) {
      case 'metric':
        if (c.valueType !== 'number') throw new Error('metric comparisons are numeric');
        return sql<SqlBool>`EXISTS (SELECT 1 FROM metric_series f_m WHERE f_m.run_id = ${runId} AND f_m.key = ${c.key} AND ${metricPredicate('f_m', c)})`;
      case 'param':
        return sql<SqlBool>`EXISTS (SELECT 1 FROM params f_p WHERE f_p.run_id = ${runId} AND f_p.key = ${c.key} AND ${columnPredicate(sql.ref('f_p.value'), c, ops)})`;
      case 'tag':
        return sql<SqlBool>`EXISTS (SELECT 1 FROM run_tags f_t WHERE f_t.run_id = ${runId} AND f_t.key = ${c.key} AND ${columnPredicate(sql.ref('f_t.value'), c, ops)})`;
      case 'attribute':
        return columnPredicate(sql.ref(`runs.${RUN_ATTRIBUTE_COLUMNS[c.key]}`), c, ops);
      case 'dataset':
        if (c.valueType === 'number') throw new Error('dataset comparisons are on strings');
        if (c.key === 'context')
          return ops.runInputTagExists(runId, 'mlflow.data.context', (v) => stringPredicate(v, c, ops));
        // Any one of the run's dataset inputs may satisfy the clause.
        return sql<SqlBool>`EXISTS (SELECT 1 FROM run_inputs f_ri JOIN datasets f_d ON f_d.id = f_ri.dataset_id WHERE f_ri.run_id = ${runId} AND ${stringPredicate(sql.ref(`f_d.${c.key}`), c, ops)})`;
    }
  };
}

const EXPERIMENT_ATTRIBUTE_COLUMNS: Record<string, string> = {
  name: 'name',
  creation_time: 'creation_time',
  last_update_time: 'last_update_time',
};

export function experimentCompare(ops: SearchSqlOps): CompareFn {
  return (c: Comparison): Expression<SqlBool> => {
    if (c.kind === 'tag') {
      return sql<SqlBool>`EXISTS (SELECT 1 FROM experiment_tags f_et WHERE f_et.experiment_id = experiments.experiment_id AND f_et.key = ${c.key} AND ${columnPredicate(sql.ref('f_et.value'), c, ops)})`;
    }
    return columnPredicate(sql.ref(`experiments.${EXPERIMENT_ATTRIBUTE_COLUMNS[c.key]}`), c, ops);
  };
}
