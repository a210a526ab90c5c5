/**
 * A small Markdown reader for run descriptions (MLflow's `mlflow.note.content` tag). Pure: it
 * returns a tree that `components/Markdown.tsx` turns into React elements, so no text from a tag
 * ever reaches the DOM as HTML. Raw HTML in the source stays literal text; links keep only safe
 * schemes. Covers what notes use: headings, paragraphs, lists, quotes, code, rules, emphasis, links.
 */

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'strong' | 'em' | 'del'; c: Inline[] }
  | { t: 'link'; href: string | null; c: Inline[] }
  | { t: 'br' };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: number; c: Inline[] }
  | { t: 'code'; lang: string; v: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { t: 'hr' };

/** `href` when it is http(s), mailto, or relative; `null` for `javascript:`, `data:` and the like. */
export function safeHref(raw: string): string | null {
  const href = raw.trim();
  // Browsers ignore tabs/newlines/controls inside a scheme (`java\tscript:`): judge the cleaned form.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed
  const cleaned = href.replace(/[\u0000-\u0020]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
  if (scheme === undefined) return href;
  return scheme === 'http' || scheme === 'https' || scheme === 'mailto' ? href : null;
}

const LIST_ITEM = /^ {0,3}([-*+]|(\d{1,9})[.)])\s+(.*)$/;
const HR = /^ {0,3}([-*_])( *\1){2,} *$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^ {0,3}(```+|~~~+)\s*([\w+-]*)/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      blocks.push({ t: 'code', lang: fence[2], v: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ t: 'h', level: heading[1].length, c: parseInline(heading[2]) });
      i++;
      continue;
    }
    if (HR.test(line)) {
      blocks.push({ t: 'hr' });
      i++;
      continue;
    }
    if (/^ {0,3}>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^ {0,3}>/.test(lines[i])) body.push(lines[i++].replace(/^ {0,3}> ?/, ''));
      blocks.push({ t: 'quote', c: parseMarkdown(body.join('\n')) });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = item[2] !== undefined;
      const items: string[][] = [];
      while (i < lines.length) {
        const m = LIST_ITEM.exec(lines[i]);
        if (m && (m[2] !== undefined) === ordered) items.push([m[3]]);
        else if (items.length > 0 && /^\s+\S/.test(lines[i])) items[items.length - 1].push(lines[i].trim());
        else break;
        i++;
      }
      blocks.push({
        t: 'list',
        ordered,
        start: ordered ? Number(item[2]) : 1,
        items: items.map((l) => parseInline(l.join('\n'))),
      });
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      lines[i].trim() !== '' &&
      !FENCE.test(lines[i]) &&
      !HEADING.test(lines[i]) &&
      !/^ {0,3}>/.test(lines[i]) &&
      !(para.length > 0 && LIST_ITEM.test(lines[i]))
    ) {
      para.push(lines[i++]);
    }
    blocks.push({ t: 'p', c: parseInline(para.join('\n')) });
  }
  return blocks;
}

const EMPHASIS: [string, 'strong' | 'em' | 'del'][] = [
  ['**', 'strong'],
  ['__', 'strong'],
  ['~~', 'del'],
  ['*', 'em'],
  ['_', 'em'],
];

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push({ t: 'text', v: buf });
    buf = '';
  };
  let i = 0;
  outer: while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length && /[\\`*_[\]()#+\-.!~>]/.test(text[i + 1])) {
      buf += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '\n') {
      // Two trailing spaces or a backslash make a hard break; a plain newline is a space.
      if (buf.endsWith('  ')) {
        buf = buf.trimEnd();
        flush();
        out.push({ t: 'br' });
      } else buf = `${buf.trimEnd()} `;
      i++;
      continue;
    }
    if (ch === '`') {
      const ticks = /^`+/.exec(text.slice(i))![0];
      const end = text.indexOf(ticks, i + ticks.length);
      if (end > 0) {
        flush();
        out.push({ t: 'code', v: text.slice(i + ticks.length, end).trim() });
        i = end + ticks.length;
        continue;
      }
    }
    if (ch === '[' || (ch === '!' && text[i + 1] === '[')) {
      const open = ch === '!' ? i + 1 : i;
      const m = /^\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/.exec(text.slice(open));
      if (m) {
        flush();
        out.push({ t: 'link', href: safeHref(m[2]), c: parseInline(m[1] || m[2]) });
        i = open + m[0].length;
        continue;
      }
    }
    const auto =
      ch === 'h' && (i === 0 || /\s|\(/.test(text[i - 1]))
        ? /^https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/.exec(text.slice(i))
        : null;
    if (auto) {
      flush();
      out.push({ t: 'link', href: auto[0], c: [{ t: 'text', v: auto[0] }] });
      i += auto[0].length;
      continue;
    }
    for (const [mark, t] of EMPHASIS) {
      if (!text.startsWith(mark, i) || /\s/.test(text[i + mark.length] ?? ' ')) continue;
      // `_` inside a word (snake_case names) is not emphasis.
      if (mark[0] === '_' && i > 0 && /\w/.test(text[i - 1])) continue;
      let end = text.indexOf(mark, i + mark.length);
      while (end > 0 && (/\s/.test(text[end - 1]) || (mark[0] === '_' && /\w/.test(text[end + mark.length] ?? ''))))
        end = text.indexOf(mark, end + 1);
      if (end < 0) continue;
      flush();
      out.push({ t, c: parseInline(text.slice(i + mark.length, end)) });
      i = end + mark.length;
      continue outer;
    }
    buf += ch;
    i++;
  }
  flush();
  return out;
}
