import { posix } from 'node:path';
import { invalidParam } from '@trove/protocol';

/**
 * Checks a model version `source` by MLflow's rules (reference §15.6) and a few more: a local
 * path must lie in the artifact directory of the run it names (checked by the caller, after
 * resolving it, so `<root>/model/..` is fine); any other URI, decoded until stable, may hold no
 * `..` or `.` segment, NUL or control character, backslash, `#` or `;` — the tricks behind
 * CVE-2023-1177, -2356, -2780, -6909, -6977, CVE-2024-1483, -1593 and CVE-2025-11201.
 */
export type SourceKind =
  | { kind: 'local'; path: string }
  | { kind: 'runs'; runId: string; path: string }
  | { kind: 'logged-model'; modelId: string }
  | { kind: 'model-version' }
  | { kind: 'remote' };

const quoted = (source: string) => `'${source.slice(0, 200)}'`;

/** MLflow's own words for a non-local source with relative references (its tests read them). */
const relativeRefs = (source: string) =>
  invalidParam(
    `Invalid model version source: ${quoted(source)}. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`,
  );
const refused = (source: string, why: string) =>
  invalidParam(`Invalid model version source: ${quoted(source)}. ${why}`);

/** Every form the source takes when decoded again and again (`+` as a space too, as MLflow's unquote_plus). */
function decodedForms(source: string): string[] {
  const forms = [source];
  let current = source;
  for (let i = 0; i < 10; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current.replace(/\+/g, ' '));
    } catch {
      // A stray '%' that is not an escape cannot decode further; what we have is final.
      return forms;
    }
    if (next === current) return forms;
    forms.push(next);
    current = next;
  }
  throw refused(source, 'It is encoded too many times.');
}

function checkRemote(source: string): void {
  for (const form of decodedForms(source)) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(form)) throw relativeRefs(source);
    if (form.includes('\\')) throw refused(source, 'Backslashes are not allowed.');
    if (form.includes('#') || form.includes(';')) throw refused(source, "'#' and ';' are not allowed.");
    if (form.split(/[/?&=]/).includes('..')) throw relativeRefs(source);
    // MLflow: the path, slashes collapsed and the trailing one dropped, must already be normal.
    const path = form
      .replace(/^[a-z][a-z0-9+.-]*:(\/\/[^/?]*)?/i, '')
      .split('?')[0]
      .replace(/\/+/g, '/')
      .replace(/\/$/, '');
    if (path !== '' && posix.normalize(path) !== path) throw relativeRefs(source);
  }
}

export function checkModelSource(source: string, regex?: string): SourceKind {
  if (regex && !new RegExp(regex).test(source)) throw refused(source, `It must match the configured pattern ${regex}.`);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(source)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'file' || /^[a-z]:[\\/]/i.test(source)) {
    const host = scheme === 'file' ? /^file:\/\/([^/]*)/i.exec(source)?.[1] : undefined;
    if (host && host.toLowerCase() !== 'localhost')
      throw refused(source, `'file://${host}/...' is not a valid remote uri: a file URI names a path on this server.`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(source)) throw refused(source, 'It contains control characters.');
    const raw = scheme === 'file' ? source.replace(/^file:(\/\/localhost|\/\/)?/i, '') : source;
    let path: string;
    try {
      path = scheme === 'file' ? decodeURIComponent(raw) : raw;
    } catch {
      throw refused(source, 'It is not a valid file URI.');
    }
    if (path.includes('\0')) throw refused(source, 'It contains control characters.');
    return { kind: 'local', path };
  }
  checkRemote(source);
  if (scheme === 'runs') {
    const m = /^runs:\/([0-9a-zA-Z][\w-]{0,255})(?:\/(.*))?$/.exec(source);
    if (!m) throw refused(source, "A runs: source looks like 'runs:/<run_id>/<path>'.");
    return { kind: 'runs', runId: m[1], path: (m[2] ?? '').replace(/\/+$/, '') };
  }
  if (scheme === 'models') {
    const m = /^models:\/(m-[0-9a-f]{32})\/?$/.exec(source);
    if (m) return { kind: 'logged-model', modelId: m[1] };
    return { kind: 'model-version' };
  }
  return { kind: 'remote' };
}
