import type { ArtifactStore } from './artifact-store.ts';
import { joinKey } from './safe-path.ts';

const ESCAPE = /%[0-9A-Fa-f]{2}/;

/** Python's `urllib.parse.unquote`: valid %XX escapes to bytes, read as UTF-8 with U+FFFD for bad bytes; the rest as is. */
function unquoteOnce(s: string): string {
  if (!ESCAPE.test(s)) return s;
  const bytes: number[] = [];
  let out = '';
  const flush = () => {
    if (bytes.length > 0) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    flush();
    const cp = s.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    out += ch;
    i += ch.length;
  }
  flush();
  return out;
}

/**
 * A stored artifact name as MLflow's Python client sees it in a listing: its
 * `validate_path_is_safe` decodes every name until it stops changing (at most 10 times), and
 * that decoded text is the path it later asks for. MLflow's `log_image(key=, step=)` names
 * (`images/loss%step%12%timestamp%17…%2e4f….png`, stored literally by Trove) come back as
 * `images/loss%step\u0012%timestamp\u0017….4f….png`.
 */
export function mlflowClientView(name: string): string {
  let current = name;
  for (let i = 0; i < 10; i++) {
    const next = unquoteOnce(current);
    if (next === current) return current;
    current = next;
  }
  return current;
}

/**
 * Why MLflow's client would refuse a name it lists (so a listing holding it fails whole, for
 * every file of that directory), or undefined when it accepts it. Such names are refused at upload,
 * as MLflow's server refuses them.
 */
export function refusedByMlflowClient(name: string): string | undefined {
  const view = mlflowClientView(name);
  if (view.includes('#')) return "'#' once decoded";
  if (view.startsWith('/') || /^[A-Za-z]:/.test(view)) return 'absolute once decoded';
  if (view.split('/').includes('..')) return "'..' once decoded";
  return undefined;
}

/**
 * The decoded name as it arrives in the client's request: Python's URL parsing drops tab, CR and
 * LF from a URL (bpo-43882), so `%0A` in a stored name never reaches the server.
 */
const asRequested = (view: string) => view.replace(/[\t\r\n]/g, '');

/**
 * The stored key that MLflow's client means by `requested` — the decoded form of a name it read
 * from a listing — walking from `root` one directory listing per segment that is not stored as
 * asked. Undefined when nothing matches. Reads only; costs listings only when the exact key misses.
 */
export async function findByMlflowClientView(
  store: ArtifactStore,
  root: string,
  asked: string,
): Promise<string | undefined> {
  // Compared without tab/CR/LF on both sides: Python's client drops them, other clients may not.
  const requested = asRequested(asked);
  // Usually only the file name was decoded (`images/<name>`): one listing of its directory.
  const slash = requested.lastIndexOf('/');
  if (slash > 0) {
    const parent = joinKey(root, requested.slice(0, slash));
    const base = requested.slice(slash + 1);
    const files = (await store.list(parent)).filter((e) => !e.isDir);
    // As asked first; without tab/CR/LF only when nothing matches so (`%0a` and `%0d` twins).
    const askedBase = asked.slice(asked.lastIndexOf('/') + 1);
    const hit =
      files.find((e) => mlflowClientView(e.name) === askedBase) ??
      files.find((e) => asRequested(mlflowClientView(e.name)) === base);
    if (hit) return joinKey(parent, hit.name);
  }
  let dir = root;
  let rest = requested;
  while (rest !== '') {
    const entries = await store.list(dir);
    let matched: { name: string; consumed: number; isDir: boolean } | undefined;
    for (const e of entries) {
      const view = asRequested(mlflowClientView(e.name));
      const fits = rest === view || rest.startsWith(`${view}/`);
      if (fits && (!matched || view.length > matched.consumed))
        matched = { name: e.name, consumed: view.length, isDir: e.isDir };
    }
    if (!matched) return undefined;
    dir = joinKey(dir, matched.name);
    rest = rest.slice(matched.consumed).replace(/^\//, '');
    if (rest !== '' && !matched.isDir) return undefined;
  }
  return dir;
}
