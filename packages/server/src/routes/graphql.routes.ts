import { stringifyJson } from '@trove/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createGraphqlContext } from '../graphql/context.ts';
import { runGraphql } from '../graphql/execute.ts';
import { readGraphqlRequest } from '../graphql/request.ts';
import { createGraphqlSchema } from '../graphql/schema.ts';
import type { Services } from '../services/index.ts';

/**
 * `/graphql` (and `/w/<workspace>/graphql`), the endpoint MLflow's UI queries with Apollo. Every
 * request that reaches GraphQL answers 200 with `{data, errors}`, errors included, as MLflow's
 * does; only a malformed envelope (no query, a batch, variables that are no object) is a 400.
 */
export function registerGraphqlRoutes(app: FastifyInstance, services: Services): void {
  const schema = createGraphqlSchema();
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const workspace = await services.workspaces.resolve((request.params as { workspace?: string }).workspace);
    const gql = readGraphqlRequest(request.method, request.body, (request.query ?? {}) as Record<string, unknown>);
    const answer = await runGraphql(schema, gql, createGraphqlContext(services, workspace), (err) => request.log.error({ err }, 'GraphQL resolver failed'));
    return reply.type('application/json').send(stringifyJson(answer));
  };
  for (const url of ['/graphql', '/w/:workspace/graphql']) app.route({ method: ['GET', 'POST'], url, handler });
}
