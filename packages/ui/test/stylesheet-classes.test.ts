import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../src');

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? cssFiles(join(dir, e.name)) : e.name.endsWith('.css') ? [join(dir, e.name)] : [],
  );
}

/** Bare class selectors (`.chip`) of a file's top-level rules (media queries and the like left out). */
function topLevelClasses(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const out: string[] = [];
  let depth = 0;
  let prelude = '';
  for (const ch of text) {
    if (ch === '{') {
      if (depth === 0)
        for (const sel of prelude.split(',')) {
          const m = /^\.([\w-]+)$/.exec(sel.trim());
          if (m) out.push(m[1]);
        }
      depth++;
      prelude = '';
    } else if (ch === '}') {
      depth--;
      prelude = '';
    } else if (ch === ';' && depth === 0) prelude = '';
    else prelude += ch;
  }
  return out;
}

describe('the one stylesheet', () => {
  // The build joins every CSS file into one (vite.config.ts, cssCodeSplit: false), so two files
  // defining the same class would style each other's pages.
  it('defines each class at the top level in one file only', () => {
    const owners = new Map<string, string[]>();
    for (const file of cssFiles(SRC))
      for (const cls of new Set(topLevelClasses(readFileSync(file, 'utf8'))))
        owners.set(cls, [...(owners.get(cls) ?? []), relative(SRC, file)]);
    expect([...owners].filter(([, files]) => files.length > 1)).toEqual([]);
  });

  it('finds top-level classes and skips those inside at-rules', () => {
    expect(topLevelClasses('.a { x: 1 } .b, .c > d { y: 2 } @media (max-width: 1px) { .e { z: 3 } } .f{}')).toEqual([
      'a',
      'b',
      'f',
    ]);
  });
});
