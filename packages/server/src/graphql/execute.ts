import { TroveError } from '@trove/protocol';
import {
  type DocumentNode,
  execute,
  GraphQLError,
  type GraphQLSchema,
  parse,
  Source,
  specifiedRules,
  validate,
} from 'graphql';
import type { GraphqlContext } from './context.ts';
import { protoFieldResolver } from './proto-fields.ts';
import { OperationLimits, QUERY_LIMITS, scanDocument } from './query-limits.ts';
import type { GraphqlRequest } from './request.ts';

/** MLflow's answer: `data`, and `errors` as a list of messages (null when there are none). */
export interface GraphqlAnswer {
  data: Record<string, unknown> | null;
  errors: string[] | null;
}

const RULES = [...specifiedRules, OperationLimits];

/**
 * The message a client sees for an error. Resolver errors that are client faults (TroveError and
 * the like) read as they would over REST; anything unexpected is logged and reads as an internal
 * error, so no server detail leaks into the answer.
 */
function messageOf(error: GraphQLError, logInternal: (err: unknown) => void): string {
  const cause = error.originalError;
  if (
    cause === undefined ||
    cause instanceof GraphQLError ||
    cause instanceof TroveError ||
    cause instanceof SyntaxError
  )
    return error.message;
  const status = (cause as { statusCode?: number }).statusCode;
  if (status !== undefined && status >= 400 && status < 500) return error.message;
  logInternal(cause);
  return 'Internal server error.';
}

function parseDocument(query: string): DocumentNode | GraphQLError {
  const source = new Source(query);
  try {
    return scanDocument(source) ?? parse(source, { maxTokens: QUERY_LIMITS.tokens });
  } catch (e) {
    if (e instanceof GraphQLError) return e;
    throw e;
  }
}

/** Parses, validates and executes one request the way MLflow's handler does, with Trove's bounds. */
export async function runGraphql(
  schema: GraphQLSchema,
  request: GraphqlRequest,
  context: GraphqlContext,
  logInternal: (err: unknown) => void,
): Promise<GraphqlAnswer> {
  const document = parseDocument(request.query);
  if (document instanceof GraphQLError) return { data: null, errors: [document.message] };
  const invalid = validate(schema, document, RULES);
  if (invalid.length > 0) return { data: null, errors: invalid.map((e) => e.message) };
  const result = await execute({
    schema,
    document,
    operationName: request.operationName,
    variableValues: request.variables,
    contextValue: context,
    fieldResolver: protoFieldResolver,
  });
  return {
    data: (result.data as Record<string, unknown> | null | undefined) ?? null,
    errors: result.errors && result.errors.length > 0 ? result.errors.map((e) => messageOf(e, logInternal)) : null,
  };
}
