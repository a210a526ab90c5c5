/**
 * A flat array of numbers, bigints, booleans and nulls as PostgreSQL's array literal (`{1,2.5,NULL}`),
 * or undefined for any other array. node-postgres writes each element of a bound array through
 * its generic value conversion and quotes and escapes it with two regular expressions; the
 * writer binds five such arrays of a batch's points, and for a 1000-point log-batch that was a
 * tenth of the server's CPU (bench `--server-cpu-prof`). The text is the same pg would send, less
 * the quotes: each element is its `toString()`, which holds none of `{}",\` or whitespace.
 */
export function scalarArrayLiteral(values: readonly unknown[]): string | undefined {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') out += v.toString();
    else return undefined;
  }
  return `${out}}`;
}

/** Bound values with each scalar array written as its literal (others are left to node-postgres). */
export function withArrayLiterals(values: readonly unknown[]): unknown[] {
  return values.map((v) => (Array.isArray(v) ? (scalarArrayLiteral(v) ?? v) : v));
}
