import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';
import { GlobalSearch } from '../components/GlobalSearch.tsx';
import { Loading } from '../components/status.tsx';
import { UserField } from '../components/UserField.tsx';
import { WorkspaceSwitcher } from '../components/WorkspaceSwitcher.tsx';
import '../components/navigation.css';
import { hashRouteToPath, matchRoute } from '../lib/route-match.ts';
import { Link, navigate, useLocation } from './router.tsx';
import { setTheme, useTheme } from './theme.ts';

// Each page is its own chunk: the entry holds only the shell, and chart code loads with the pages that draw.
const ExperimentsPage = lazy(() => import('../features/experiments/ExperimentsPage.tsx'));
const ExperimentPage = lazy(() => import('../features/runs/ExperimentPage.tsx'));
const RunPage = lazy(() => import('../features/run/RunPage.tsx'));
const ComparePage = lazy(() => import('../features/compare/ComparePage.tsx'));
const CompareExperimentsPage = lazy(() => import('../features/experiments/CompareExperimentsPage.tsx'));
const ModelsPage = lazy(() => import('../features/registry/ModelsPage.tsx'));
const ModelPage = lazy(() => import('../features/registry/ModelPage.tsx'));
const VersionPage = lazy(() => import('../features/registry/VersionPage.tsx'));
const WebhooksPage = lazy(() => import('../features/webhooks/WebhooksPage.tsx'));
const WebhookPage = lazy(() => import('../features/webhooks/WebhookPage.tsx'));
const TagsPage = lazy(() => import('../features/tags/TagsPage.tsx'));
const ProjectsPage = lazy(() => import('../features/projects/ProjectsPage.tsx'));
const ProjectPage = lazy(() => import('../features/projects/ProjectPage.tsx'));

const ROUTES = [
  ['experiments', '/'],
  ['experiments', '/experiments'],
  ['experiment', '/experiments/:experimentId'],
  ['run', '/experiments/:experimentId/runs/:runId'],
  ['run', '/runs/:runId'],
  ['compare', '/compare'],
  ['compare-experiments', '/compare-experiments'],
  ['models', '/models'],
  ['model', '/models/:name'],
  ['version', '/models/:name/versions/:version'],
  ['webhooks', '/webhooks'],
  ['webhook', '/webhooks/:webhookId'],
  ['tags', '/tags'],
  ['projects', '/projects'],
  ['project', '/projects/:projectId'],
] as const;

export function App() {
  const { pathname, workspace } = useLocation();
  useWorkspaceCache(workspace);
  useEffect(() => {
    // MLflow prints hash links (`/#/experiments/1/runs/abc`); open the same page here.
    const path = hashRouteToPath(window.location.hash);
    if (path) navigate(path, { replace: true });
  }, []);
  const match = matchRoute(ROUTES, pathname);
  const section =
    match?.name.startsWith('model') || match?.name === 'version'
      ? 'models'
      : match?.name.startsWith('webhook')
        ? 'webhooks'
        : match?.name.startsWith('project')
          ? 'projects'
          : match?.name === 'tags'
            ? 'tags'
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
        </nav>
        <GlobalSearch />
        <UserField />
        <ThemeToggle />
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary key={`${workspace}:${pathname}`}>
          <Suspense fallback={<Loading />}>{renderPage(match)}</Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}

function renderPage(match: ReturnType<typeof matchRoute<(typeof ROUTES)[number][0]>>) {
  if (!match) return <NotFound />;
  const p = match.params;
  switch (match.name) {
    case 'experiments':
      return <ExperimentsPage />;
    case 'experiment':
      return <ExperimentPage experimentId={p.experimentId} />;
    case 'run':
      return <RunPage runId={p.runId} />;
    case 'compare':
      return <ComparePage />;
    case 'compare-experiments':
      return <CompareExperimentsPage />;
    case 'models':
      return <ModelsPage />;
    case 'model':
      return <ModelPage name={p.name} />;
    case 'version':
      return <VersionPage name={p.name} version={p.version} />;
    case 'webhooks':
      return <WebhooksPage />;
    case 'webhook':
      return <WebhookPage webhookId={p.webhookId} />;
    case 'tags':
      return <TagsPage />;
    case 'projects':
      return <ProjectsPage />;
    case 'project':
      return <ProjectPage projectId={p.projectId} />;
  }
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
    <button type="button" className="theme-toggle" onClick={() => setTheme(next)} aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`}>
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        <Link to="/experiments">Go to experiments</Link>
      </p>
    </section>
  );
}
