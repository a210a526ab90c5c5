/**
 * Where sign-in sends the browser: the login page keeps the page the user was on as `next`, and
 * only a path of this site is ever followed from it (an open redirect would let a link sign a
 * user in and then hand them to another site). Pure.
 */

export const LOGIN_PATH = '/login';

/** `next` when it is a path of this site other than the login page itself, else `/`. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  // Browsers drop tabs and newlines inside URLs, which would let `/\t/evil.example` become `//evil.example`.
  for (const c of next) if (c < ' ' || c === '\\') return '/';
  const path = next.split(/[?#]/)[0];
  return path === LOGIN_PATH ? '/' : next;
}

/** The login page, remembering `next` (a browser path with its query) unless it is the site's root. */
export function loginPath(next: string): string {
  const safe = safeNextPath(next);
  return safe === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(safe)}`;
}

/** The single sign-on start URL with `next` appended to whatever query it already has. */
export function ssoHref(loginUrl: string, next: string): string {
  return `${loginUrl}${loginUrl.includes('?') ? '&' : '?'}next=${encodeURIComponent(safeNextPath(next))}`;
}
