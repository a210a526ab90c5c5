import { invalidParam, RUN_SEARCH_PREFIXES } from '@trove/protocol';
import type { FieldKind, RawIdentifier, SearchEntity } from './ast.ts';

export interface ResolvedField {
  kind: FieldKind;
  key: string;
  /** The value type comparisons on this field take. */
  type: 'number' | 'string';
}

type Purpose = 'filter' | 'order_by';

const RUN_PREFIXES: Readonly<Record<string, FieldKind>> = RUN_SEARCH_PREFIXES;
// MLflow rejects `attributes.` for experiments (reference §14.2).
const EXPERIMENT_PREFIXES: Record<string, FieldKind> = { attribute: 'attribute', tag: 'tag', tags: 'tag' };

/** Attribute key as written → [canonical key, type]. */
type AttributeTable = Record<string, [string, 'number' | 'string']>;

const RUN_FILTER_ATTRIBUTES: AttributeTable = {
  run_id: ['run_id', 'string'],
  run_name: ['run_name', 'string'],
  'run name': ['run_name', 'string'],
  'Run name': ['run_name', 'string'],
  'Run Name': ['run_name', 'string'],
  user_id: ['user_id', 'string'],
  status: ['status', 'string'],
  artifact_uri: ['artifact_uri', 'string'],
  start_time: ['start_time', 'number'],
  end_time: ['end_time', 'number'],
  created: ['start_time', 'number'],
  Created: ['start_time', 'number'],
};
// order_by takes the same attributes minus the `run name` spellings, which only filters accept.
const RUN_ORDER_ATTRIBUTES: AttributeTable = Object.fromEntries(
  Object.entries(RUN_FILTER_ATTRIBUTES).filter(([key]) => !key.includes(' ')),
);
const EXPERIMENT_FILTER_ATTRIBUTES: AttributeTable = {
  name: ['name', 'string'],
  creation_time: ['creation_time', 'number'],
  last_update_time: ['last_update_time', 'number'],
};
const EXPERIMENT_ORDER_ATTRIBUTES: AttributeTable = {
  ...EXPERIMENT_FILTER_ATTRIBUTES,
  experiment_id: ['experiment_id', 'number'],
};
const DATASET_KEYS = new Set(['name', 'digest', 'context']);

function identifierError(ident: RawIdentifier, purpose: Purpose, problem: string): Error {
  const spelled = ident.prefix === null ? ident.key : `${ident.prefix}.${ident.key}`;
  return invalidParam(`Invalid ${purpose} identifier '${spelled}': ${problem} (at position ${ident.pos + 1})`);
}

/** Resolves prefix aliases and attribute aliases for `entity`; unknown names are a 400. */
export function resolveField(ident: RawIdentifier, entity: SearchEntity, purpose: Purpose): ResolvedField {
  const prefixes = entity === 'runs' ? RUN_PREFIXES : EXPERIMENT_PREFIXES;
  let kind: FieldKind = 'attribute';
  if (ident.prefix !== null) {
    const found = Object.hasOwn(prefixes, ident.prefix.toLowerCase())
      ? prefixes[ident.prefix.toLowerCase()]
      : undefined;
    if (found === undefined || (purpose === 'order_by' && found === 'dataset')) {
      const valid = Object.keys(prefixes).filter((p) => purpose === 'filter' || prefixes[p] !== 'dataset');
      throw identifierError(
        ident,
        purpose,
        `unknown prefix '${ident.prefix}'; valid prefixes for ${entity}: ${valid.join(', ')}`,
      );
    }
    kind = found;
  }
  if (ident.key === '') throw identifierError(ident, purpose, 'the key is empty');
  if (kind === 'metric') return { kind, key: ident.key, type: 'number' };
  if (kind === 'param' || kind === 'tag') return { kind, key: ident.key, type: 'string' };
  if (kind === 'dataset') {
    if (!DATASET_KEYS.has(ident.key))
      throw identifierError(ident, purpose, 'dataset keys are name, digest and context');
    return { kind, key: ident.key, type: 'string' };
  }
  const table =
    entity === 'runs'
      ? purpose === 'filter'
        ? RUN_FILTER_ATTRIBUTES
        : RUN_ORDER_ATTRIBUTES
      : purpose === 'filter'
        ? EXPERIMENT_FILTER_ATTRIBUTES
        : EXPERIMENT_ORDER_ATTRIBUTES;
  const attr = Object.hasOwn(table, ident.key) ? table[ident.key] : undefined;
  if (attr === undefined) {
    const what = `${entity === 'runs' ? 'run' : 'experiment'} attribute${purpose === 'order_by' ? ' to order by' : ''}`;
    throw identifierError(
      ident,
      purpose,
      `'${ident.key}' is not a searchable ${what}; valid attributes: ${Object.keys(table).join(', ')}`,
    );
  }
  return { kind, key: attr[0], type: attr[1] };
}
