import { containsLiteral, identifier, stringLiteral } from './filter.ts';

/**
 * The experiments list's filter: name contains `name` (case-insensitive) AND, when `tag` is given,
 * `key=value` (that exact value) or `key` alone (any value). Pure.
 */
export function experimentFilter(name: string, tag: string): string {
  const parts: string[] = [];
  if (name.trim()) parts.push(`name ILIKE ${containsLiteral(name.trim())}`);
  const t = tag.trim();
  if (t) {
    const eq = t.indexOf('=');
    const key = (eq < 0 ? t : t.slice(0, eq)).trim();
    if (key)
      parts.push(
        eq < 0
          ? `${identifier('tags', key)} LIKE '%'`
          : `${identifier('tags', key)} = ${stringLiteral(t.slice(eq + 1).trim())}`,
      );
  }
  return parts.join(' AND ');
}
