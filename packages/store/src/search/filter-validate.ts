import type {
  Comparison,
  FieldKind,
  FilterAst,
  ListOp,
  NumberOp,
  RawComparison,
  RawFilter,
  SearchEntity,
  StringOp,
} from './ast.ts';
import { resolveField } from './fields.ts';
import { syntaxError } from './filter-lexer.ts';

const NUMBER_OPS = new Set<string>(['=', '!=', '>', '>=', '<', '<=']);
const STRING_OPS = new Set<string>(['=', '!=', 'LIKE', 'ILIKE']);
const LIST_OPS = new Set<string>(['IN', 'NOT IN']);
const KNOWN_OPS = new Set<string>([...NUMBER_OPS, ...STRING_OPS, ...LIST_OPS]);

const LABEL: Record<FieldKind, string> = {
  metric: 'metric',
  param: 'param',
  tag: 'tag',
  attribute: 'attribute',
  dataset: 'dataset',
};

/** Checks every comparison against the entity's fields and turns the syntax tree into a {@link FilterAst}. */
export function validateFilter(raw: RawFilter, entity: SearchEntity, source: string): FilterAst {
  if (raw.type === 'all') return raw;
  if (raw.type === 'comparison') return validateComparison(raw, entity, source);
  return { type: raw.type, children: raw.children.map((c) => validateFilter(c, entity, source)) };
}

function validateComparison(c: RawComparison, entity: SearchEntity, source: string): Comparison {
  const field = resolveField(c.ident, entity, 'filter');
  const name = `${LABEL[field.kind]} '${field.key}'`;
  const failAt = (pos: number, problem: string) => syntaxError('filter', source, pos, problem);
  if (!KNOWN_OPS.has(c.op)) throw failAt(c.opPos, `unsupported comparator '${c.op}'`);
  const base = { type: 'comparison' as const, kind: field.kind, key: field.key };

  if (field.type === 'number') {
    if (!NUMBER_OPS.has(c.op))
      throw failAt(c.opPos, `comparator '${c.op}' is not supported for ${name}; use one of = != > >= < <=`);
    if (c.value.kind !== 'number')
      throw failAt(
        c.value.pos,
        `expected a numeric value for ${name}, found a ${c.value.kind === 'list' ? 'list' : 'quoted string'}`,
      );
    return { ...base, valueType: 'number', op: c.op as NumberOp, value: c.value.value };
  }

  const listAllowed =
    field.kind === 'dataset' || (field.kind === 'attribute' && field.key === 'run_id' && entity === 'runs');
  const allowed = listAllowed ? [...STRING_OPS, ...LIST_OPS] : [...STRING_OPS];
  if (!allowed.includes(c.op))
    throw failAt(c.opPos, `comparator '${c.op}' is not supported for ${name}; use one of ${allowed.join(', ')}`);
  if (c.value.kind === 'number')
    throw failAt(c.value.pos, `expected a quoted string value for ${name}, found the number ${c.value.text}`);
  if (c.value.kind === 'list') {
    // The parser only builds lists after IN / NOT IN, so this is a list comparison.
    let values = c.value.value;
    // MLflow drops run ids that are not entirely lowercase (ids are lowercase hex), all-digit ones included.
    if (field.kind === 'attribute') values = values.filter(isLowercase);
    return { ...base, valueType: 'list', op: c.op as ListOp, value: values };
  }
  return { ...base, valueType: 'string', op: c.op as StringOp, value: c.value.value };
}

/** Python's str.islower(): at least one cased character and no upper-case ones. */
function isLowercase(s: string): boolean {
  return s === s.toLowerCase() && s !== s.toUpperCase();
}
