/**
 * A stable layout for committed SQL: whitespace outside quotes collapsed, a line break before each
 * clause keyword, lines indented by parenthesis depth, one row per line after VALUES. Only layout
 * changes: the tokens, their case and their order are the statement's own, so the text stays the
 * statement the driver ran (placeholders `?` / `$n` included, values never inlined).
 */

type Token = { kind: 'space' | 'word' | 'quoted' | 'other'; text: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      out.push({ kind: 'space', text: ' ' });
      i = j;
    } else if (c === "'" || c === '"' || c === '`') {
      // A doubled quote inside is an escaped quote.
      let j = i + 1;
      for (;;) {
        if (j >= text.length) break;
        if (text[j] === c) {
          if (text[j + 1] === c) j += 2;
          else {
            j++;
            break;
          }
        } else j++;
      }
      out.push({ kind: 'quoted', text: text.slice(i, j) });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_$]/.test(text[j])) j++;
      out.push({ kind: 'word', text: text.slice(i, j) });
      i = j;
    } else {
      out.push({ kind: 'other', text: c });
      i++;
    }
  }
  return out;
}

/** Keywords (and keyword pairs) that start a line. */
const CLAUSES = [
  ['union', 'all'],
  ['group', 'by'],
  ['order', 'by'],
  ['on', 'conflict'],
  ['left', 'join'],
  ['inner', 'join'],
  ['cross', 'join'],
  ['join'],
  ['select'],
  ['from'],
  ['where'],
  ['having'],
  ['limit'],
  ['returning'],
  ['values'],
  ['set'],
  ['insert'],
  ['update'],
  ['delete'],
];

export function formatSql(text: string): string {
  const tokens = tokenize(text.trim());
  const words = tokens.map((t) => (t.kind === 'word' ? t.text.toLowerCase() : undefined));
  const lines: { depth: number; text: string }[] = [];
  let line = '';
  let lineDepth = 0;
  let depth = 0;
  let inValues = false;
  const newLine = () => {
    if (line.trim() !== '') lines.push({ depth: lineDepth, text: line.trim() });
    line = '';
    lineDepth = depth;
  };
  let previousWord: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'space') {
      // No space after an opening or before a closing parenthesis; none at a line start.
      const next = tokens[i + 1];
      if (line !== '' && !line.endsWith('(') && next && next.text !== ')') line += ' ';
      continue;
    }
    if (t.kind === 'word') {
      const clause = CLAUSES.find((k) => k.every((w, n) => words[nextWordIndex(tokens, i, n)] === w));
      // `left join`, `do update`: the pair stays on one line.
      const joined =
        (clause?.[0] === 'join' && ['left', 'inner', 'cross'].includes(previousWord ?? '')) ||
        (clause?.[0] === 'update' && previousWord === 'do');
      if (clause && !joined && line.trim() !== '' && !line.endsWith('(')) {
        newLine();
        inValues = false;
      }
      if (clause?.[0] === 'values') inValues = true;
      else if (clause) inValues = false;
      line += t.text;
      previousWord = words[i];
      continue;
    }
    if (t.text === '(') depth++;
    if (t.text === ')') depth = Math.max(0, depth - 1);
    line += t.text;
    if (t.kind === 'other' && t.text === ',' && inValues && depth === lineDepth) newLine();
  }
  newLine();
  return lines.map((l) => `${'  '.repeat(l.depth)}${l.text}`).join('\n');
}

/** The index of the n-th word token from `i` on (spaces skipped); -1 if another token comes first. */
function nextWordIndex(tokens: Token[], i: number, n: number): number {
  let j = i;
  for (let seen = 0; j < tokens.length; j++) {
    if (tokens[j].kind === 'space') continue;
    if (tokens[j].kind !== 'word') return -1;
    if (seen === n) return j;
    seen++;
  }
  return -1;
}
