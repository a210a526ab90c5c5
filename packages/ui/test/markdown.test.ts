import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from '../src/lib/markdown.ts';

describe('markdown (run descriptions)', () => {
  it('reads headings, paragraphs, lists, quotes, code fences and rules', () => {
    const doc = parseMarkdown(
      '# Result\n\nBest run so\nfar.\n\n- one\n- two\n  continued\n\n3. third\n4. fourth\n\n> quoted\n\n```py\nx = 1\n```\n\n---',
    );
    expect(doc).toEqual([
      { t: 'h', level: 1, c: [{ t: 'text', v: 'Result' }] },
      { t: 'p', c: [{ t: 'text', v: 'Best run so far.' }] },
      { t: 'list', ordered: false, start: 1, items: [[{ t: 'text', v: 'one' }], [{ t: 'text', v: 'two continued' }]] },
      { t: 'list', ordered: true, start: 3, items: [[{ t: 'text', v: 'third' }], [{ t: 'text', v: 'fourth' }]] },
      { t: 'quote', c: [{ t: 'p', c: [{ t: 'text', v: 'quoted' }] }] },
      { t: 'code', lang: 'py', v: 'x = 1' },
      { t: 'hr' },
    ]);
  });

  it('reads emphasis, code spans and links, leaving snake_case alone', () => {
    expect(parseInline('**bold** and *em* with `a_b` in learning_rate_decay ~~old~~')).toEqual([
      { t: 'strong', c: [{ t: 'text', v: 'bold' }] },
      { t: 'text', v: ' and ' },
      { t: 'em', c: [{ t: 'text', v: 'em' }] },
      { t: 'text', v: ' with ' },
      { t: 'code', v: 'a_b' },
      { t: 'text', v: ' in learning_rate_decay ' },
      { t: 'del', c: [{ t: 'text', v: 'old' }] },
    ]);
    expect(parseInline('see [the paper](https://arxiv.org/abs/1512.03385) or https://example.com/x.')).toEqual([
      { t: 'text', v: 'see ' },
      { t: 'link', href: 'https://arxiv.org/abs/1512.03385', c: [{ t: 'text', v: 'the paper' }] },
      { t: 'text', v: ' or ' },
      { t: 'link', href: 'https://example.com/x', c: [{ t: 'text', v: 'https://example.com/x' }] },
      { t: 'text', v: '.' },
    ]);
  });

  it('keeps raw HTML as text and drops unsafe link schemes', () => {
    expect(parseMarkdown('<img src=x onerror=alert(1)>')).toEqual([
      { t: 'p', c: [{ t: 'text', v: '<img src=x onerror=alert(1)>' }] },
    ]);
    expect(parseInline('[x](javascript:alert(1))')[0]).toMatchObject({ t: 'link', href: null });
    expect(safeHref('java\tscript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,hi')).toBeNull();
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(safeHref('#section')).toBe('#section');
    expect(safeHref('/experiments/1')).toBe('/experiments/1');
  });

  it('treats backslash escapes and unclosed marks as text', () => {
    expect(parseInline('\\*not em\\* and 2 * 3')).toEqual([{ t: 'text', v: '*not em* and 2 * 3' }]);
  });
});
