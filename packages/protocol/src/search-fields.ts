/** What a search key's prefix names: `metrics.acc`, `params.lr`, `tags.team`, `attributes.status`. */
export type SearchFieldKind = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

/**
 * Every prefix MLflow's run search accepts, lower-case (reference §14), and the kind it names.
 * The store's filter parser and the UI's autocomplete read the same table.
 */
export const RUN_SEARCH_PREFIXES: Readonly<Record<string, SearchFieldKind>> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};
