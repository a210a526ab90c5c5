/**
 * Every code-split module of the UI: each page is its own chunk (the entry holds only the shell),
 * and the chart modules load with the pages that draw them. One table, so route-preload.ts can
 * start what a URL will show before React renders it.
 */
import { lazyComponent } from '../components/lazy-component.tsx';

export const ExperimentsPage = lazyComponent(() => import('../features/experiments/ExperimentsPage.tsx'));
export const ExperimentPage = lazyComponent(() => import('../features/runs/ExperimentPage.tsx'));
export const TracesPage = lazyComponent(() => import('../features/traces/TracesPage.tsx'));
export const AlertsPage = lazyComponent(() => import('../features/alerts/AlertsPage.tsx'));
export const TracePage = lazyComponent(() => import('../features/traces/TracePage.tsx'));
export const RunPage = lazyComponent(() => import('../features/run/RunPage.tsx'));
export const ComparePage = lazyComponent(() => import('../features/compare/ComparePage.tsx'));
export const CompareExperimentsPage = lazyComponent(() => import('../features/experiments/CompareExperimentsPage.tsx'));
export const ModelsPage = lazyComponent(() => import('../features/registry/ModelsPage.tsx'));
export const ModelPage = lazyComponent(() => import('../features/registry/ModelPage.tsx'));
export const VersionPage = lazyComponent(() => import('../features/registry/VersionPage.tsx'));
export const VersionComparePage = lazyComponent(() => import('../features/registry/VersionComparePage.tsx'));
export const WebhooksPage = lazyComponent(() => import('../features/webhooks/WebhooksPage.tsx'));
export const WebhookPage = lazyComponent(() => import('../features/webhooks/WebhookPage.tsx'));
export const TagsPage = lazyComponent(() => import('../features/tags/TagsPage.tsx'));
export const LineagePage = lazyComponent(() => import('../features/lineage/LineagePage.tsx'));
export const ProjectsPage = lazyComponent(() => import('../features/projects/ProjectsPage.tsx'));
export const ProjectPage = lazyComponent(() => import('../features/projects/ProjectPage.tsx'));
export const LoginPage = lazyComponent(() => import('../features/auth/LoginPage.tsx'));
export const ProfilePage = lazyComponent(() => import('../features/profile/ProfilePage.tsx'));
export const AdminPage = lazyComponent(() => import('../features/admin/AdminPage.tsx'));
export const InboxPage = lazyComponent(() => import('../features/notifications/InboxPage.tsx'));
export const NotificationSettingsPage = lazyComponent(
  () => import('../features/notifications/NotificationSettingsPage.tsx'),
);

/** uPlot and the metric-history chart: run charts tab, compare page, line charts of the experiment panel. */
export const MetricChart = lazyComponent(() => import('../charts/MetricChart.tsx'), 'Loading chart…');
/** The run page's charts tab (it imports MetricChart itself). */
export const ChartsTab = lazyComponent(() => import('../features/run/ChartsTab.tsx'), 'Loading charts…');
/** The experiment page's charts panel, once opened. */
export const ExperimentCharts = lazyComponent(() => import('../features/runs/ExperimentCharts.tsx'), 'Loading charts…');
/** The compare page's parallel coordinates, scatter, contour and box plot. */
export const CompareCharts = lazyComponent(() => import('../features/compare/CompareCharts.tsx'), 'Loading charts…');
