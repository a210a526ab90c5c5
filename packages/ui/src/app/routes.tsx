import { matchRoute, type RouteMatch } from '../lib/route-match.ts';
import * as lazy from './lazy-modules.ts';
import { ROUTES, type RouteName } from './route-table.ts';
import { Link } from './router.tsx';

export type { RouteName };

/** The route of an app path (workspace prefix already stripped), or null for an unknown one. */
export const matchPage = (pathname: string): RouteMatch<RouteName> | null => matchRoute(ROUTES, pathname);

/** The chunk each route's page lives in. */
export const PAGE_MODULES: Record<RouteName, { preload(): Promise<void> }> = {
  experiments: lazy.ExperimentsPage,
  experiment: lazy.ExperimentPage,
  'experiment-traces': lazy.TracesPage,
  'experiment-alerts': lazy.AlertsPage,
  trace: lazy.TracePage,
  run: lazy.RunPage,
  compare: lazy.ComparePage,
  'compare-experiments': lazy.CompareExperimentsPage,
  models: lazy.ModelsPage,
  model: lazy.ModelPage,
  version: lazy.VersionPage,
  'version-compare': lazy.VersionComparePage,
  webhooks: lazy.WebhooksPage,
  webhook: lazy.WebhookPage,
  tags: lazy.TagsPage,
  lineage: lazy.LineagePage,
  projects: lazy.ProjectsPage,
  project: lazy.ProjectPage,
  login: lazy.LoginPage,
  profile: lazy.ProfilePage,
  admin: lazy.AdminPage,
  'admin-section': lazy.AdminPage,
  notifications: lazy.InboxPage,
  'notification-settings': lazy.NotificationSettingsPage,
};

export function renderPage(match: RouteMatch<RouteName> | null) {
  if (!match) return <NotFound />;
  const p = match.params;
  switch (match.name) {
    case 'experiments':
      return <lazy.ExperimentsPage />;
    case 'experiment':
      return <lazy.ExperimentPage experimentId={p.experimentId} />;
    case 'experiment-traces':
      return <lazy.TracesPage experimentId={p.experimentId} />;
    case 'experiment-alerts':
      return <lazy.AlertsPage experimentId={p.experimentId} />;
    case 'trace':
      return <lazy.TracePage traceId={p.traceId} />;
    case 'run':
      return <lazy.RunPage runId={p.runId} />;
    case 'compare':
      return <lazy.ComparePage />;
    case 'compare-experiments':
      return <lazy.CompareExperimentsPage />;
    case 'models':
      return <lazy.ModelsPage />;
    case 'model':
      return <lazy.ModelPage name={p.name} />;
    case 'version':
      return <lazy.VersionPage name={p.name} version={p.version} />;
    case 'version-compare':
      return <lazy.VersionComparePage name={p.name} />;
    case 'webhooks':
      return <lazy.WebhooksPage />;
    case 'webhook':
      return <lazy.WebhookPage webhookId={p.webhookId} />;
    case 'tags':
      return <lazy.TagsPage />;
    case 'lineage':
      return <lazy.LineagePage />;
    case 'projects':
      return <lazy.ProjectsPage />;
    case 'project':
      return <lazy.ProjectPage projectId={p.projectId} />;
    case 'login':
      return <lazy.LoginPage />;
    case 'profile':
      return <lazy.ProfilePage />;
    case 'admin':
      return <lazy.AdminPage section="users" />;
    case 'admin-section':
      return <lazy.AdminPage section={p.section} />;
    case 'notifications':
      return <lazy.InboxPage />;
    case 'notification-settings':
      return <lazy.NotificationSettingsPage />;
  }
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
