/**
 * Every client route: its name, its path pattern, and the chunks its first view needs — the page
 * module (`features/…/<Page>.tsx`, loaded through app/lazy-modules.ts) and any chart module it
 * draws at once. Pure data: the build reads it too (build/page-preload.ts writes a script into
 * index.html that starts a route's chunks with the HTML, before the app's own code has loaded).
 */
export const ROUTES = [
  ['experiments', '/', ['ExperimentsPage']],
  ['experiments', '/experiments', ['ExperimentsPage']],
  // The charts panel's chunks are part of the first view: when they came after the first runs, the
  // panel's arrival pushed the table ~2,600 px down (docs/benchmarks.md, session 13). Fetched even
  // for a URL whose layout has no charts; route-preload.ts evaluates them only when it has some.
  ['experiment', '/experiments/:experimentId', ['ExperimentPage', 'ExperimentCharts', 'MetricChart']],
  ['experiment-traces', '/experiments/:experimentId/traces', ['TracesPage']],
  ['experiment-alerts', '/experiments/:experimentId/alerts', ['AlertsPage']],
  ['trace', '/traces/:traceId', ['TracePage']],
  ['run', '/experiments/:experimentId/runs/:runId', ['RunPage']],
  ['run', '/runs/:runId', ['RunPage']],
  ['compare', '/compare', ['ComparePage', 'MetricChart', 'CompareCharts']],
  ['compare-experiments', '/compare-experiments', ['CompareExperimentsPage']],
  ['models', '/models', ['ModelsPage']],
  ['model', '/models/:name', ['ModelPage']],
  ['version', '/models/:name/versions/:version', ['VersionPage']],
  ['version-compare', '/models/:name/compare', ['VersionComparePage']],
  ['webhooks', '/webhooks', ['WebhooksPage']],
  ['webhook', '/webhooks/:webhookId', ['WebhookPage']],
  ['tags', '/tags', ['TagsPage']],
  ['lineage', '/lineage', ['LineagePage']],
  ['projects', '/projects', ['ProjectsPage']],
  ['project', '/projects/:projectId', ['ProjectPage']],
  ['login', '/login', ['LoginPage']],
  ['profile', '/profile', ['ProfilePage']],
  ['admin', '/admin', ['AdminPage']],
  ['admin-section', '/admin/:section', ['AdminPage']],
  ['notifications', '/notifications', ['InboxPage']],
  ['notification-settings', '/notifications/settings', ['NotificationSettingsPage']],
] as const;

export type RouteName = (typeof ROUTES)[number][0];
