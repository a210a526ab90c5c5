import { createElement, type ReactNode } from 'react';
import { type Block, type Inline, parseMarkdown } from '../lib/markdown.ts';
import './markdown.css';

/** Markdown rendered as React elements (never as HTML): safe for text anyone can write into a tag. */
export function Markdown({ source, label }: { source: string; label?: string }) {
  return (
    <section className="markdown" aria-label={label}>
      {parseMarkdown(source).map(block)}
    </section>
  );
}

function block(b: Block, key: number): ReactNode {
  switch (b.t) {
    case 'p':
      return <p key={key}>{b.c.map(inline)}</p>;
    case 'h':
      // Headings inside a note sit below the page's own h1/h2.
      return createElement(`h${Math.min(6, b.level + 2)}`, { key }, b.c.map(inline));
    case 'code':
      return (
        <pre key={key} data-lang={b.lang || undefined}>
          <code>{b.v}</code>
        </pre>
      );
    case 'quote':
      return <blockquote key={key}>{b.c.map(block)}</blockquote>;
    case 'list': {
      // biome-ignore lint/suspicious/noArrayIndexKey: list items are positional
      const items = b.items.map((item, i) => <li key={i}>{item.map(inline)}</li>);
      return b.ordered ? (
        <ol key={key} start={b.start === 1 ? undefined : b.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'hr':
      return <hr key={key} />;
  }
}

function inline(n: Inline, key: number): ReactNode {
  switch (n.t) {
    case 'text':
      return n.v;
    case 'code':
      return <code key={key}>{n.v}</code>;
    case 'strong':
      return <strong key={key}>{n.c.map(inline)}</strong>;
    case 'em':
      return <em key={key}>{n.c.map(inline)}</em>;
    case 'del':
      return <del key={key}>{n.c.map(inline)}</del>;
    case 'br':
      return <br key={key} />;
    case 'link':
      return n.href === null ? (
        <span key={key}>{n.c.map(inline)}</span>
      ) : (
        <a key={key} href={n.href} target="_blank" rel="noopener noreferrer nofollow">
          {n.c.map(inline)}
        </a>
      );
  }
}
