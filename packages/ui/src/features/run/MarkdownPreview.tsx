import { useId, useState } from 'react';
import { Markdown } from '../../components/Markdown.tsx';

/**
 * A Markdown artifact rendered (as React elements: raw HTML in it stays text, links keep safe
 * schemes only, see lib/markdown.ts), with its source a click away.
 */
export function MarkdownPreview({ text, name }: { text: string; name: string }) {
  const [source, setSource] = useState(false);
  const id = useId();
  return (
    <div className="markdown-preview">
      <label className="inline-check" htmlFor={id}>
        <input id={id} type="checkbox" checked={source} onChange={(e) => setSource(e.target.checked)} /> Show source
      </label>
      {source ? (
        <pre className="wrap-text">
          <code>{text}</code>
        </pre>
      ) : (
        <Markdown source={text} label={`Rendered ${name}`} />
      )}
    </div>
  );
}
