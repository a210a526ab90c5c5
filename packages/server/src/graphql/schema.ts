import {
  assertValidSchema,
  buildSchema,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isObjectType,
  isScalarType,
} from 'graphql';
import { LongString } from './long-string.ts';
import { ROOT_RESOLVERS, RUN_RESOLVERS } from './resolvers.ts';
import { SDL } from './sdl.ts';

function attach(
  schema: GraphQLSchema,
  typeName: string,
  resolvers: Record<string, GraphQLFieldResolver<any, any>>,
): void {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`GraphQL schema has no object type ${typeName}`);
  const fields = type.getFields();
  for (const [name, resolve] of Object.entries(resolvers)) {
    if (!fields[name]) throw new Error(`GraphQL schema has no field ${typeName}.${name}`);
    fields[name].resolve = resolve;
  }
}

/** MLflow's GraphQL schema with Trove's resolvers; fields without one read the entity (proto-fields.ts). */
export function createGraphqlSchema(): GraphQLSchema {
  const schema = buildSchema(SDL);
  const long = schema.getType('LongString');
  if (!isScalarType(long)) throw new Error('GraphQL schema has no LongString scalar');
  long.serialize = LongString.serialize;
  long.parseValue = LongString.parseValue;
  long.parseLiteral = LongString.parseLiteral;
  attach(schema, 'Query', ROOT_RESOLVERS.Query);
  attach(schema, 'Mutation', ROOT_RESOLVERS.Mutation);
  attach(schema, 'MlflowRunExtension', RUN_RESOLVERS);
  // A root field reads no entity: without a resolver of its own it would skip its access check.
  for (const root of ['Query', 'Mutation']) {
    const type = schema.getType(root);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields()))
      if (!field.resolve) throw new Error(`GraphQL root field ${root}.${field.name} has no resolver`);
  }
  assertValidSchema(schema);
  return schema;
}
