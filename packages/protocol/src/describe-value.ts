const MAX_DEPTH = 3;
const MAX_ITEMS = 6;

/**
 * A request value as an error message shows it, as MLflow shows it (Python's json.dumps: `"foo"`,
 * `[1, 2]`, `{"a": 1}`), with BigInt as digits and NaN/Infinity by name, cut at about
 * `maxLength` characters and {@link MAX_DEPTH} levels. Total: no value a request can carry (any
 * integer, any size or depth, keys such as `toString` or `__proto__`) makes it throw, so building
 * the message for a 400 can never turn it into a 500. Every message that quotes a user value
 * goes through here; never JSON.stringify or String() a request value in a message.
 */
export function describeValue(v: unknown, maxLength = 200): string {
  try {
    if (typeof v === 'string')
      return v.length > maxLength
        ? `${JSON.stringify(cut(v, maxLength))}… (${v.length} characters)`
        : JSON.stringify(v);
    const text = render(v, 0, maxLength);
    return text.length > maxLength ? `${cut(text, maxLength)}…` : text;
  } catch {
    // Unreachable for parsed JSON; a Proxy or a throwing getter still gets a message.
    return `(a value of type ${typeof v})`;
  }
}

function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  // Keep a surrogate pair whole.
  const code = s.charCodeAt(n - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

function render(v: unknown, depth: number, budget: number): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(cut(v, budget));
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'symbol':
      return v.toString();
    case 'function':
      return 'function';
  }
  if (v === null) return 'null';
  const isArray = Array.isArray(v);
  if (depth >= MAX_DEPTH) return isArray ? '[…]' : '{…}';
  const parts: string[] = [];
  let used = 2;
  let keys: readonly string[];
  try {
    keys = isArray ? [] : Object.keys(v as object);
  } catch {
    return '{…}';
  }
  const count = isArray ? (v as unknown[]).length : keys.length;
  for (let i = 0; i < count && i < MAX_ITEMS && used <= budget; i++) {
    const item = isArray
      ? render((v as unknown[])[i], depth + 1, budget - used)
      : `${JSON.stringify(cut(keys[i], budget))}: ${render((v as Record<string, unknown>)[keys[i]], depth + 1, budget - used)}`;
    parts.push(item);
    used += item.length + 1;
  }
  if (parts.length < count) parts.push('…');
  return isArray ? `[${parts.join(', ')}]` : `{${parts.join(', ')}}`;
}
