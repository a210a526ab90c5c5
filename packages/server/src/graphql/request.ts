import { invalidParam, missing, parseJson } from '@trove/protocol';

/** One GraphQL request: `{query, operationName, variables}` (MLflow's handler reads exactly these). */
export interface GraphqlRequest {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The 400 for a parameter of the wrong type; names the type, never echoes the value. */
const wrongType = (name: string, expected: string, v: unknown) =>
  invalidParam(
    `Invalid value for parameter '${name}': expected ${expected}, got ${Array.isArray(v) ? 'an array' : v === null ? 'null' : `a ${typeof v}`}.`,
  );

/**
 * Reads the request from a POST's JSON body, or from a GET's query string (`variables` as JSON
 * text there). A malformed envelope is a 400 with MLflow's error body; MLflow itself fails
 * these with a 500.
 */
export function readGraphqlRequest(method: string, body: unknown, query: Record<string, unknown>): GraphqlRequest {
  let fields: Record<string, unknown>;
  if (method === 'GET') {
    fields = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  } else if (Array.isArray(body)) {
    throw invalidParam(
      'Batched GraphQL requests are not supported: send one {query, operationName, variables} object per request.',
    );
  } else if (isObject(body)) {
    fields = body;
  } else {
    throw invalidParam('GraphQL request body must be a JSON object.');
  }

  const { query: text, operationName, variables } = fields;
  if (text === undefined || text === null || text === '') throw missing('query');
  if (typeof text !== 'string') throw wrongType('query', 'a string', text);
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    throw wrongType('operationName', 'a string', operationName);
  return { query: text, operationName: operationName || undefined, variables: readVariables(variables) };
}

function readVariables(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = parseJson(value);
    } catch {
      throw invalidParam("Parameter 'variables' is not valid JSON.");
    }
  }
  if (!isObject(parsed)) throw wrongType('variables', 'a JSON object', parsed);
  return parsed;
}
