import {
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  getNullableType,
  isListType,
  isObjectType,
  isScalarType,
} from 'graphql';

const snakeNames = new Map<string, string>();

/** `datasetInputs` → `dataset_inputs`: GraphQL field names are the protobuf (JSON) names in camelCase. */
export function snakeCase(name: string): string {
  let snake = snakeNames.get(name);
  if (snake === undefined) {
    snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    snakeNames.set(name, snake);
  }
  return snake;
}

/** GraphQL input objects (camelCase) as the snake_case request bodies Trove's decoders read. */
export function snakeKeys(input: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input ?? {})) out[snakeCase(k)] = v;
  return out;
}

const SCALAR_DEFAULTS: Record<string, unknown> = { String: '', LongString: 0, Boolean: false, Float: 0, Int: 0 };

/**
 * What MLflow answers for a field the entity leaves unset. Its resolvers read protobuf messages,
 * whose unset fields read as their defaults: `""`, `0` (so `"0"` as LongString), `false`, an
 * empty list, an empty message. `apiError` is no protobuf field and stays null; so do enums.
 */
function unsetValue(type: GraphQLOutputType): unknown {
  const t = getNullableType(type);
  if (isListType(t)) return [];
  if (isScalarType(t)) return SCALAR_DEFAULTS[t.name] ?? null;
  if (isObjectType(t)) return t.name === 'ApiError' ? null : {};
  return null;
}

/**
 * The default resolver: the entity's snake_case field, or the protobuf default when the entity
 * leaves it out (Trove's entities omit unset fields; an explicit null stays null).
 */
export const protoFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  const value =
    source !== null && typeof source === 'object'
      ? (source as Record<string, unknown>)[snakeCase(info.fieldName)]
      : undefined;
  return value === undefined ? unsetValue(info.returnType) : value;
};
