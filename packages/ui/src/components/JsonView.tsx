import { useState } from 'react';
import './json-view.css';

/** Items of an array or object drawn before "Show all N". */
const FIRST_ITEMS = 100;

function Leaf({ value }: { value: unknown }) {
  if (typeof value === 'string') return <span className="json-string">"{value}"</span>;
  if (typeof value === 'number' || typeof value === 'bigint')
    return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-bool">{String(value)}</span>;
  return <span className="json-null">null</span>;
}

function Branch({ name, value, depth }: { name: string | null; value: object; depth: number }) {
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const [open, setOpen] = useState(depth < 2 && entries.length <= FIRST_ITEMS);
  const [all, setAll] = useState(false);
  const shown = all ? entries : entries.slice(0, FIRST_ITEMS);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const summary = `${brackets[0]}${entries.length === 0 ? '' : `… ${entries.length} ${Array.isArray(value) ? 'items' : 'keys'}`}${brackets[1]}`;
  return (
    <details className="json-branch" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {name !== null ? <span className="json-key">{name}: </span> : null}
        <span className="muted">{summary}</span>
      </summary>
      {/* Children exist in the DOM only while open: a 10k-item value costs nothing folded. */}
      {open ? (
        <div className="json-children">
          {shown.map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} />
          ))}
          {entries.length > shown.length ? (
            <button type="button" className="link-button" onClick={() => setAll(true)}>
              Show all {entries.length}
            </button>
          ) : null}
        </div>
      ) : null}
    </details>
  );
}

function JsonNode({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  if (typeof value === 'object' && value !== null) return <Branch name={name} value={value} depth={depth} />;
  return (
    <div className="json-leaf">
      {name !== null ? <span className="json-key">{name}: </span> : null}
      <Leaf value={value} />
    </div>
  );
}

/** A JSON value as a tree of collapsible objects and arrays (the first two levels open). */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    <div className="json-view mono" data-json-view={label}>
      <JsonNode name={null} value={value} depth={0} />
    </div>
  );
}
