import { describe, expect, it } from 'vitest';
import {
  buildRunFilter,
  containsLiteral,
  identifier,
  nameFilter,
  needsParens,
  orderByClause,
  splitColumnId,
  stringLiteral,
} from '../src/lib/filter.ts';

describe('filter building', () => {
  it('quotes string literals, doubling quotes and backslashes', () => {
    expect(stringLiteral('adam')).toBe("'adam'");
    expect(stringLiteral("it's")).toBe("'it''s'");
    expect(stringLiteral('a\\b')).toBe("'a\\\\b'");
  });

  it('escapes LIKE wildcards in a contains pattern', () => {
    expect(containsLiteral('50%_off')).toBe("'%50\\\\%\\\\_off%'");
  });

  it('backticks keys that are not plain words', () => {
    expect(identifier('metrics', 'loss')).toBe('metrics.loss');
    expect(identifier('metrics', 'val loss')).toBe('metrics.`val loss`');
    expect(identifier('tags', 'mlflow.parentRunId')).toBe('tags.`mlflow.parentRunId`');
    expect(identifier('params', 'optimizer/adam/beta1')).toBe('params.`optimizer/adam/beta1`');
    expect(identifier('params', 'odd`key')).toBe('params.`odd``key`');
  });

  it('builds order_by clauses from column ids', () => {
    expect(orderByClause('attributes.start_time', true)).toBe('attributes.start_time DESC');
    expect(orderByClause('metrics.val loss', false)).toBe('metrics.`val loss` ASC');
    expect(splitColumnId('params.a.b')).toEqual({ prefix: 'params', key: 'a.b' });
    expect(splitColumnId('status')).toEqual({ prefix: 'attributes', key: 'status' });
  });

  it('returns the user text alone, untouched', () => {
    expect(buildRunFilter({ text: "  params.lr = '0.1' OR params.lr = '0.01' " })).toBe(
      "params.lr = '0.1' OR params.lr = '0.01'",
    );
    expect(buildRunFilter({})).toBe('');
  });

  it('parenthesises parts with a top-level OR when combining controls', () => {
    const f = buildRunFilter({
      text: "params.optimizer = 'sgd' OR metrics.accuracy > 0.9",
      nameContains: 'sweep',
      statuses: ['FINISHED'],
    });
    expect(f).toBe(
      "(params.optimizer = 'sgd' OR metrics.accuracy > 0.9) AND attributes.run_name ILIKE '%sweep%' AND attributes.status = 'FINISHED'",
    );
  });

  it('ORs several statuses', () => {
    expect(buildRunFilter({ statuses: ['FAILED', 'KILLED'], nameContains: 'x' })).toBe(
      "attributes.run_name ILIKE '%x%' AND (attributes.status = 'FAILED' OR attributes.status = 'KILLED')",
    );
  });

  it('finds OR only outside quotes and parentheses', () => {
    expect(needsParens("a = 'x OR y'")).toBe(false);
    expect(needsParens("(a = 'x' OR b = 'y') AND c = 'z'")).toBe(false);
    expect(needsParens("a = 'x' or b = 'y'")).toBe(true);
    expect(needsParens('tags.`a OR b` = 1')).toBe(false);
    expect(needsParens("a = 'it''s' OR b = 1")).toBe(true);
  });

  it('builds name filters for experiments and models', () => {
    expect(nameFilter('')).toBe('');
    expect(nameFilter(' res ')).toBe("name ILIKE '%res%'");
  });
});
