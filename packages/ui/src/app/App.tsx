import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';
import { GlobalSearch } from '../components/GlobalSearch.tsx';
import { Loading } from '../components/status.tsx';
import { TopBarMenu } from '../components/TopBarMenu.tsx';
import { UserField } from '../components/UserField.tsx';
import { UserMenu } from '../components/UserMenu.tsx';
import { WorkspaceSwitcher } from '../components/WorkspaceSwitcher.tsx';
import { NotificationBell } from '../features/notifications/NotificationBell.tsx';
import '../components/navigation.css';
import { hashRouteToPath } from '../lib/route-match.ts';
import { Link, navigate, useLocation } from './router.tsx';
import { matchPage, renderPage } from './routes.tsx';
import { setTheme, useTheme } from './theme.ts';
import { mayRender, useSession, useSignInRedirect } from './use-session.ts';

export function App() {
  const { pathname, workspace } = useLocation();
  useWorkspaceCache(workspace);
  useEffect(() => {
    // MLflow prints hash links (`/#/experiments/1/runs/abc`); open the same page here.
    const path = hashRouteToPath(window.location.hash);
    if (path) navigate(path, { replace: true });
  }, []);
  const match = matchPage(pathname);
  const session = useSession();
  const onLoginPage = match?.name === 'login';
  useSignInRedirect(session, onLoginPage);
  const page = mayRender(session, onLoginPage) ? renderPage(match) : <Loading />;
  if (onLoginPage) return <SignInShell>{page}</SignInShell>;
  const section =
    match?.name.startsWith('model') || match?.name.startsWith('version')
      ? 'models'
      : match?.name.startsWith('webhook')
        ? 'webhooks'
        : match?.name.startsWith('project')
          ? 'projects'
          : match?.name === 'tags'
            ? 'tags'
            : match?.name.startsWith('admin')
              ? 'admin'
              : 'experiments';
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Trove
        </Link>
        <TopBarMenu>
          <WorkspaceSwitcher />
          <nav aria-label="Main">
            <Link to="/projects" aria-current={section === 'projects' ? 'page' : undefined}>
              Projects
            </Link>
            <Link to="/experiments" aria-current={section === 'experiments' ? 'page' : undefined}>
              Experiments
            </Link>
            <Link to="/models" aria-current={section === 'models' ? 'page' : undefined}>
              Models
            </Link>
            <Link to="/webhooks" aria-current={section === 'webhooks' ? 'page' : undefined}>
              Webhooks
            </Link>
            <Link to="/tags" aria-current={section === 'tags' ? 'page' : undefined}>
              Tags
            </Link>
            {session?.user?.is_admin ? (
              <Link to="/admin/users" aria-current={section === 'admin' ? 'page' : undefined}>
                Admin
              </Link>
            ) : null}
          </nav>
          {session === undefined ? null : session.auth_enabled ? <UserMenu session={session} /> : <UserField />}
          {session === undefined ? null : <NotificationBell />}
          <ThemeToggle />
        </TopBarMenu>
        <GlobalSearch />
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary key={`${workspace}:${pathname}`}>{page}</ErrorBoundary>
      </main>
    </>
  );
}

/** The login page's frame: nothing in it asks the server for data a signed-out browser may not read. */
function SignInShell({ children }: { children: ReactNode }) {
  return (
    <>
      <header className="topbar">
        <span className="brand">Trove</span>
        <span className="topbar-spacer" />
        <ThemeToggle />
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary>{children}</ErrorBoundary>
      </main>
    </>
  );
}

/**
 * Query keys do not name the workspace, so entering another one drops the cache before its pages
 * render (the page tree is keyed by workspace and remounts with fresh queries).
 */
function useWorkspaceCache(workspace: string): void {
  const queryClient = useQueryClient();
  const last = useRef(workspace);
  if (last.current !== workspace) {
    last.current = workspace;
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'workspaces' });
  }
}

function ThemeToggle() {
  const theme = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      onClick={() => setTheme(next)}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
    >
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}
