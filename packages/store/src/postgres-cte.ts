/** One or more common table expressions (`name AS (…), …`) and the values their `$n` placeholders bind, numbered from 1. */
export interface CtePart {
  ctes: string;
  values: unknown[];
}

/**
 * Joins independently written CTE parts into one statement, renumbering each part's placeholders
 * after the previous parts' values, so a request's writes cost one round trip instead of one per
 * part. Data-modifying CTEs all run, whether the final SELECT reads them or not.
 */
export function composeCtes(parts: CtePart[], finalSelect = 'SELECT 1'): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const ctes = parts.map((part) => {
    const offset = values.length;
    values.push(...part.values);
    return part.ctes.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  return { text: `WITH ${ctes.join(',\n')}\n${finalSelect}`, values };
}
