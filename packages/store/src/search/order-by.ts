import { invalidParam } from '@trove/protocol';
import type { OrderKey, SearchEntity } from './ast.ts';
import { resolveField } from './fields.ts';
import { describe, TokenStream } from './token-stream.ts';

/** Parses `<identifier> [ASC|DESC]` terms (reference §14.6); a field given twice is a 400. */
export function parseOrderBy(clauses: string[], entity: SearchEntity): OrderKey[] {
  const keys: OrderKey[] = [];
  const seen = new Set<string>();
  for (const clause of clauses) {
    const key = parseOrderClause(clause, entity);
    const id = `${key.kind}\u0000${key.key}`;
    if (seen.has(id))
      throw invalidParam(
        `Invalid order_by: '${clause}' orders by a field that an earlier order_by clause already uses`,
      );
    seen.add(id);
    keys.push(key);
  }
  return keys;
}

function parseOrderClause(clause: string, entity: SearchEntity): OrderKey {
  if (clause.trim() === '') throw invalidParam('Invalid order_by clause: it is empty');
  const ts = new TokenStream(clause, 'order_by clause');
  const field = resolveField(ts.identifier(), entity, 'order_by');
  let desc = false;
  if (ts.isKeyword('ASC') || ts.isKeyword('DESC')) {
    desc = ts.next().value.toUpperCase() === 'DESC';
  } else if (ts.peek().kind !== 'eof') {
    throw ts.fail(ts.peek(), `expected ASC or DESC, found ${describe(ts.peek())}`);
  }
  ts.expectEnd();
  // resolveField already refuses dataset prefixes for order_by; the check narrows the type.
  if (field.kind === 'dataset' || (entity === 'experiments' && field.kind !== 'attribute')) {
    throw invalidParam(
      `Invalid order_by clause '${clause}': experiments can only be ordered by name, experiment_id, creation_time or last_update_time`,
    );
  }
  return { kind: field.kind, key: field.key, desc };
}
