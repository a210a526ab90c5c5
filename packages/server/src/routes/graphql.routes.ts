import { createGraphqlContext } from '../graphql/context.ts';
import { runGraphql } from '../graphql/execute.ts';
import { readGraphqlRequest } from '../graphql/request.ts';
import { createGraphqlSchema } from '../graphql/schema.ts';
import { type RawHandler, type Router, sendJson } from '../http/router.ts';
import type { Services } from '../services/index.ts';

/**
 * `/graphql` (and `/w/<workspace>/graphql`), the endpoint MLflow's UI queries with Apollo. Every
 * request that reaches GraphQL answers 200 with `{data, errors}`, errors included, as MLflow's
 * does; only a malformed envelope (no query, a batch, variables that are no object) is a 400.
 * A raw mount: GraphQL reads its own envelope and answers its own shape.
 */
export function registerGraphqlRoutes(r: Router, services: Services): void {
  const schema = createGraphqlSchema();
  // The route lets any signed-in caller in (`filtered`); each root field checks its own access.
  const handler: RawHandler = async (request, reply, workspace, caller) => {
    const gql = readGraphqlRequest(request.method, request.body, (request.query ?? {}) as Record<string, unknown>);
    const answer = await runGraphql(schema, gql, createGraphqlContext(services, workspace, caller), (err) =>
      request.log.error({ err }, 'GraphQL resolver failed'),
    );
    return sendJson(reply, answer);
  };
  for (const method of ['GET', 'POST'] as const) r.raw(method, '/graphql', handler, { api: 'root' });
}
