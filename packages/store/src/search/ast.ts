/** The entity a filter or order_by is written against. */
export type SearchEntity = 'runs' | 'experiments';

export type NumberOp = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type StringOp = '=' | '!=' | 'LIKE' | 'ILIKE';
export type ListOp = 'IN' | 'NOT IN';
export type Op = NumberOp | StringOp | ListOp;

/** What a validated identifier refers to; `key` is canonical (aliases resolved). */
export type FieldKind = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

interface ComparisonBase {
  type: 'comparison';
  kind: FieldKind;
  key: string;
}
export interface NumberComparison extends ComparisonBase {
  valueType: 'number';
  op: NumberOp;
  value: number;
}
export interface StringComparison extends ComparisonBase {
  valueType: 'string';
  op: StringOp;
  value: string;
}
export interface ListComparison extends ComparisonBase {
  valueType: 'list';
  op: ListOp;
  value: string[];
}
export type Comparison = NumberComparison | StringComparison | ListComparison;

/** A validated filter. `all` is the empty filter. */
export type FilterAst = { type: 'all' } | { type: 'and' | 'or'; children: FilterAst[] } | Comparison;

/** An identifier as written: `prefix.key`, or a bare key (prefix null). */
export interface RawIdentifier {
  prefix: string | null;
  key: string;
  pos: number;
}

export type RawValue =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'list'; value: string[]; pos: number };

export interface RawComparison {
  type: 'comparison';
  ident: RawIdentifier;
  /** Upper-cased comparator as written (`NOT IN` normalised to one space); may be unsupported. */
  op: string;
  opPos: number;
  value: RawValue;
}

/** The syntax tree before per-entity validation. */
export type RawFilter = { type: 'all' } | { type: 'and' | 'or'; children: RawFilter[] } | RawComparison;

/** One resolved order_by term. */
export interface OrderKey {
  kind: 'metric' | 'param' | 'tag' | 'attribute';
  key: string;
  desc: boolean;
}
