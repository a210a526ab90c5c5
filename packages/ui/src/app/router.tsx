/**
 * A small History-API router: the pathname picks the page, the query string holds the page's
 * state (see lib/url-state.ts). No router library: the app needs push/replace, links and one
 * hook per page, and this keeps the entry chunk small.
 */
import { type AnchorHTMLAttributes, type MouseEvent, useCallback, useMemo, useSyncExternalStore } from 'react';
import { decodeState, encodeState, type Spec, type StateOf } from '../lib/url-state.ts';
import { isBrowserPath, splitWorkspacePath, workspacePath } from '../lib/workspace-path.ts';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** The page's location: `pathname` without the `/workspaces/<name>` prefix, which `workspace` holds. */
export function useLocation(): { pathname: string; search: string; workspace: string } {
  const href = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const q = href.indexOf('?');
    const { workspace, path } = splitWorkspacePath(q < 0 ? href : href.slice(0, q));
    return { pathname: path, search: q < 0 ? '' : href.slice(q), workspace };
  }, [href]);
}

/** The workspace the UI is in now (read from the address bar). */
export const currentWorkspace = (): string => splitWorkspacePath(window.location.pathname).workspace;

/** An app path (`/experiments/3`) as a browser path in the current workspace; full browser paths pass through. */
export function inWorkspace(to: string): string {
  return isBrowserPath(to) ? to : workspacePath(currentWorkspace(), to);
}

/**
 * Goes to `to`, an app path of the current workspace (or a full `/workspaces/<name>/…` path);
 * with `raw`, `to` is taken as the browser path it is (how the workspace switcher leaves for `default`).
 */
export function navigate(target: string, options: { replace?: boolean; raw?: boolean } = {}): void {
  const to = options.raw ? target : inWorkspace(target);
  if (to === snapshot()) return;
  const samePage = to.split('?')[0] === window.location.pathname;
  window.history[options.replace ? 'replaceState' : 'pushState'](null, '', to);
  for (const l of listeners) l();
  if (!samePage && !options.replace) window.scrollTo(0, 0);
}

/** An `<a>` that navigates in-app on a plain click and behaves as a normal link otherwise (new tab, copy). */
export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const href = inWorkspace(to);
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || rest.target) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}

export type SetUrlState<S extends Spec> = (patch: Partial<StateOf<S>>, options?: { replace?: boolean }) => void;

/** The page's state decoded from the query string, and a setter that writes a patch back to the URL. */
export function useUrlState<S extends Spec>(spec: S): [StateOf<S>, SetUrlState<S>] {
  const { search } = useLocation();
  const state = useMemo(() => decodeState(spec, search), [spec, search]);
  const set = useCallback<SetUrlState<S>>(
    (patch, options) => {
      // Read the URL now, not the render's copy: two quick patches must not undo each other.
      const current = decodeState(spec, window.location.search);
      const qs = encodeState(spec, { ...current, ...patch });
      navigate(window.location.pathname + (qs ? `?${qs}` : ''), options);
    },
    [spec],
  );
  return [state, set];
}

/** A link to `pathname` with page state encoded the way `useUrlState` reads it. */
export function hrefWith<S extends Spec>(pathname: string, spec: S, state: Partial<StateOf<S>>): string {
  const qs = encodeState(spec, state);
  return pathname + (qs ? `?${qs}` : '');
}
