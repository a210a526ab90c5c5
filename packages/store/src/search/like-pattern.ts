/** A LIKE pattern split into literal text and wildcards. */
export type LikePart = { kind: 'text'; text: string } | { kind: 'any' } | { kind: 'one' };

/**
 * Parses MLflow LIKE syntax: `%` any run, `_` one character, and `\` making the next character
 * literal (as PostgreSQL and MySQL do by default).
 */
export function parseLikePattern(pattern: string): LikePart[] {
  const parts: LikePart[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      text += pattern[++i];
    } else if (c === '%' || c === '_') {
      flush();
      parts.push({ kind: c === '%' ? 'any' : 'one' });
    } else {
      text += c;
    }
  }
  flush();
  return parts;
}

/** The literal the pattern matches when it has no wildcards, so `=` can serve. */
export function likeLiteral(parts: LikePart[]): string | undefined {
  if (parts.some((p) => p.kind !== 'text')) return undefined;
  return parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

/** Renders for `LIKE ... ESCAPE '\'`. */
export function toLikeSyntax(parts: LikePart[]): string {
  return parts
    .map((p) => (p.kind === 'any' ? '%' : p.kind === 'one' ? '_' : p.text.replace(/[\\%_]/g, (c) => `\\${c}`)))
    .join('');
}

/** Renders for SQLite's case-sensitive GLOB, where `*`, `?` and `[` are special and escape by bracketing. */
export function toGlobSyntax(parts: LikePart[]): string {
  return parts
    .map((p) => (p.kind === 'any' ? '*' : p.kind === 'one' ? '?' : p.text.replace(/[*?[]/g, (c) => `[${c}]`)))
    .join('');
}
