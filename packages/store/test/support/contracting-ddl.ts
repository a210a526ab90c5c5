/**
 * Finds DDL in a migration's source that would break replicas still running the previous release
 * (the *contract* half of expand-then-contract, docs/deployment.md §10). Old code keeps reading
 * and writing the old shape while `trove db upgrade` runs, so a release's migrations may only add:
 * tables, nullable or defaulted columns, non-unique indexes, looser constraints.
 *
 * A text scan, not a SQL parser: it reads raw SQL in strings and Kysely's schema-builder calls,
 * after stripping comments, and errs towards reporting. A deliberate contract step goes on the
 * allow-list with its reason.
 */

export type ContractionKind =
  | 'drop' // DROP TABLE/COLUMN/INDEX/CONSTRAINT/DEFAULT...: old queries name what is gone
  | 'rename' // old queries name the old name
  | 'not-null-column' // ADD COLUMN ... NOT NULL without DEFAULT: old INSERTs omit the column
  | 'set-not-null' // old writers may still write NULL
  | 'change-type' // old code reads and binds the old type
  | 'add-constraint' // old writers may violate it
  | 'unique-index'; // on an existing table: old writers may insert what it now refuses

export interface Contraction {
  kind: ContractionKind;
  /** The offending text, whitespace collapsed. */
  excerpt: string;
}

/** Removes `//` and `/* *\/` comments (not inside `://`), so prose about renames is not flagged. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The text of one statement clause: up to the end of the string literal or statement holding it. */
function clauseAt(text: string, from: number): string {
  const end = text.slice(from).search(/[`'";]/);
  return text.slice(from, end < 0 ? undefined : from + end);
}

export function contractingDdl(source: string): Contraction[] {
  const text = stripComments(source);
  const found: Contraction[] = [];
  const report = (kind: ContractionKind, excerpt: string) =>
    found.push({ kind, excerpt: squash(excerpt).slice(0, 160) });

  // Raw SQL. Loosening (`DROP NOT NULL`) is an expansion and passes.
  for (const m of text.matchAll(/\bDROP\s+(?!NOT\s+NULL\b)\w+/gi)) report('drop', clauseAt(text, m.index));
  for (const m of text.matchAll(/\bRENAME\s+(?:TO\b|(?:COLUMN\s+|CONSTRAINT\s+)?"?\w+"?\s+TO\b)/gi))
    report('rename', clauseAt(text, m.index));
  for (const m of text.matchAll(/\bSET\s+NOT\s+NULL\b/gi))
    report('set-not-null', clauseAt(text, Math.max(0, m.index - 60)));
  for (const m of text.matchAll(/\bALTER\s+(?:COLUMN\s+)?"?\w+"?\s+(?:SET\s+DATA\s+)?TYPE\b/gi))
    report('change-type', clauseAt(text, m.index));
  for (const m of text.matchAll(
    /\bALTER\s+TABLE\b[^`'";]*?\bADD\s+(?:CONSTRAINT|UNIQUE|PRIMARY\s+KEY|CHECK|FOREIGN\s+KEY|EXCLUDE)\b/gi,
  ))
    report('add-constraint', clauseAt(text, m.index));
  for (const m of text.matchAll(/\bALTER\s+TABLE\b/gi)) {
    // Each `ADD [COLUMN]` clause of the statement: NOT NULL needs a DEFAULT, or old INSERTs fail.
    const statement = clauseAt(text, m.index);
    for (const add of statement
      .split(/\bADD\s+(?=COLUMN\b|(?!(?:CONSTRAINT|UNIQUE|PRIMARY|CHECK|FOREIGN|EXCLUDE)\b)\w)/i)
      .slice(1)) {
      const column = add.split(/,\s*(?=ADD\b|ALTER\b|DROP\b)/i)[0];
      if (/\bNOT\s+NULL\b/i.test(column) && !/\bDEFAULT\b/i.test(column)) report('not-null-column', `ADD ${column}`);
    }
  }
  const created = new Set(
    [...text.matchAll(/\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)/gi)].map((m) => m[1].toLowerCase()),
  );
  for (const m of text.matchAll(/\bCREATE\s+UNIQUE\s+INDEX\b[^`'";]*?\bON\s+"?(\w+)/gi)) {
    if (!created.has(m[1].toLowerCase())) report('unique-index', clauseAt(text, m.index));
  }

  // Kysely's schema builder.
  for (const m of text.matchAll(
    /\.(dropTable|dropColumn|dropIndex|dropView|dropConstraint|dropDefault|dropSchema|dropType)\s*\(/g,
  ))
    report('drop', clauseAt(text, m.index));
  for (const m of text.matchAll(/\.(renameTo|renameColumn)\s*\(/g)) report('rename', clauseAt(text, m.index));
  for (const m of text.matchAll(/\.setNotNull\s*\(/g)) report('set-not-null', m[0]);
  for (const m of text.matchAll(/\.setDataType\s*\(/g)) report('change-type', m[0]);
  for (const m of text.matchAll(/\.add(?:Unique|Check|ForeignKey|PrimaryKey)Constraint\s*\(/g))
    report('add-constraint', m[0]);
  for (const m of text.matchAll(/\.alterTable\s*\(([\s\S]*?)\.execute\s*\(/g)) {
    for (const add of m[1].split(/\.addColumn\s*\(/).slice(1)) {
      if (/\.notNull\s*\(/.test(add) && !/\.defaultTo\s*\(/.test(add)) report('not-null-column', `.addColumn(${add}`);
    }
  }
  return found;
}
