export type {
  Comparison,
  FieldKind,
  FilterAst,
  ListComparison,
  NumberComparison,
  Op,
  OrderKey,
  SearchEntity,
  StringComparison,
} from './ast.ts';
export { type ExperimentSearchQuery, searchExperiments } from './experiment-search.ts';
export { parseFilter } from './filter-parser.ts';
export { parseOrderBy } from './order-by.ts';
export { type RunSearchQuery, searchRuns } from './run-search.ts';
export * from './visibility.ts';
