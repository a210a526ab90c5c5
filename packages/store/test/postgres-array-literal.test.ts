import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../../test/support/backend.ts';
import { scalarArrayLiteral } from '../src/postgres-array-literal.ts';
import { prepared } from '../src/postgres-prepared.ts';
import type { Store } from '../src/store.ts';

describe('scalarArrayLiteral', () => {
  it('writes numbers, bigints, booleans and nulls as their text, and declines anything else', () => {
    expect(scalarArrayLiteral([])).toBe('{}');
    expect(scalarArrayLiteral([1, -2.5, 2n ** 63n - 1n, null, undefined, true, Number.NaN, -Infinity])).toBe(
      '{1,-2.5,9223372036854775807,NULL,NULL,true,NaN,-Infinity}',
    );
    expect(scalarArrayLiteral([1, 'a'])).toBeUndefined();
    expect(scalarArrayLiteral([[1]])).toBeUndefined();
    expect(scalarArrayLiteral([Buffer.from([1])])).toBeUndefined();
  });
});

// A prepared (marked) statement binds scalar arrays as literals; an unmarked one as node-postgres
// does. Both must reach PostgreSQL as the same values.
describe.runIf(process.env.TROVE_TEST_BACKEND === 'postgres')('scalar arrays bound to a prepared statement', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(() => store?.close());

  const both = async (sql: string, values: unknown[]) => {
    const pool = store.pg!;
    const text = (r: { rows: { v: unknown }[] }) => JSON.stringify(r.rows[0].v);
    return [text(await pool.query(prepared(sql), values)), text(await pool.query(sql, values))];
  };

  it('reads back what node-postgres binds, for every edge of float8, int8 and bool', async () => {
    const floats = [0, -0, 1.5, 5e-324, 1.7976931348623157e308, 1e21, 1e-7, Number.NaN, Infinity, -Infinity, null];
    const [asLiteral, asPg] = await both('SELECT $1::float8[]::text[] AS v', [floats]);
    expect(asLiteral).toBe(asPg);
    const ints = [0, -1, 2 ** 53 + 2, 2n ** 63n - 1n, -(2n ** 63n), null];
    const [intLiteral, intPg] = await both('SELECT $1::int8[]::text[] AS v', [ints]);
    expect(intLiteral).toBe(intPg);
    expect(JSON.parse(intLiteral)).toContain('9223372036854775807');
    const [boolLiteral, boolPg] = await both('SELECT $1::bool[]::text[] AS v', [[true, false, null]]);
    expect(boolLiteral).toBe(boolPg);
    const [emptyLiteral, emptyPg] = await both('SELECT cardinality($1::int8[]) AS v', [[]]);
    expect(emptyLiteral).toBe(emptyPg);
  });

  it('leaves text and bytea arrays to node-postgres', async () => {
    const [t1, t2] = await both('SELECT $1::text[] AS v', [['a,b', '{x}', 'q"uote', 'back\\slash', null, '']]);
    expect(t1).toBe(t2);
    expect(JSON.parse(t1)).toEqual(['a,b', '{x}', 'q"uote', 'back\\slash', null, '']);
  });
});
