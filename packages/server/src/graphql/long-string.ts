import { asInt64 } from '@trove/protocol';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * MLflow's `LongString`: an int64 written as a decimal string (JavaScript numbers round past
 * 2^53). As input it takes an integer literal, or a number or decimal string in variables.
 */
export const LongString = new GraphQLScalarType<number | bigint, string>({
  name: 'LongString',
  serialize(value) {
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return String(value);
    throw new GraphQLError(`LongString cannot represent ${typeof value} value.`);
  },
  parseValue(value) {
    const n = asInt64(value);
    if (n === undefined) throw new GraphQLError('LongString must be a 64-bit integer.');
    return n;
  },
  parseLiteral(ast) {
    const n = ast.kind === Kind.INT ? asInt64(ast.value) : undefined;
    if (n === undefined) throw new GraphQLError('LongString must be a 64-bit integer literal.', { nodes: ast });
    return n;
  },
});
