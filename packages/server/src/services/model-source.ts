import { invalidParam } from '@trove/protocol';

/**
 * Checks a model version `source` the way MLflow's fixed versions do (reference §15.6), and then
 * some: decoded repeatedly until stable, it may not contain a `..` segment, NUL or control
 * characters, a backslash, `#` or `;` — the tricks behind CVE-2023-1177, -2356, -2780, -6909,
 * -6977, CVE-2024-1483, -1593 and CVE-2025-11201. Returns the kind of location.
 */
export type SourceKind = { kind: 'local'; path: string } | { kind: 'runs'; runId: string; path: string } | { kind: 'logged-model'; modelId: string } | { kind: 'model-version' } | { kind: 'remote' };

const bad = (source: string, why: string) => invalidParam(`Invalid model version source: '${source.slice(0, 200)}'. ${why}`);

function decodeFully(source: string): string[] {
  const forms = [source];
  let current = source;
  for (let i = 0; i < 10; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      // A stray '%' that is not an escape cannot decode further; what we have is final.
      break;
    }
    if (next === current) return forms;
    forms.push(next);
    current = next;
  }
  if (forms.length > 10) throw bad(source, 'It is encoded too many times.');
  return forms;
}

export function checkModelSource(source: string, regex?: string): SourceKind {
  if (regex && !new RegExp(regex).test(source)) throw bad(source, `It must match the configured pattern ${regex}.`);
  for (const form of decodeFully(source)) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(form)) throw bad(source, 'It contains control characters.');
    if (form.includes('\\')) throw bad(source, 'Backslashes are not allowed.');
    if (form.includes('#') || form.includes(';')) throw bad(source, "'#' and ';' are not allowed.");
    const path = form.replace(/^[a-z][a-z0-9+.-]*:(\/\/[^/?]*)?/i, '');
    if (path.split(/[/?&=]/).some((seg) => seg === '..' || seg === '.')) throw bad(source, "Path traversal ('..' or '.') is not allowed.");
    if (/\/\/+/.test(path.replace(/^\/+/, '/').slice(1))) throw bad(source, 'Empty path segments are not allowed.');
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(source)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'file' || /^[a-z]:[\\/]/i.test(source)) {
    const path = scheme === 'file' ? source.replace(/^file:(\/\/localhost|\/\/)?/i, '') : source;
    return { kind: 'local', path: decodeURIComponent(path) };
  }
  if (scheme === 'runs') {
    const m = /^runs:\/([0-9a-zA-Z][\w-]{0,255})(?:\/(.*))?$/.exec(source);
    if (!m) throw bad(source, "A runs: source looks like 'runs:/<run_id>/<path>'.");
    return { kind: 'runs', runId: m[1], path: m[2] ?? '' };
  }
  if (scheme === 'models') {
    const m = /^models:\/(m-[0-9a-f]{32})\/?$/.exec(source);
    if (m) return { kind: 'logged-model', modelId: m[1] };
    return { kind: 'model-version' };
  }
  return { kind: 'remote' };
}
