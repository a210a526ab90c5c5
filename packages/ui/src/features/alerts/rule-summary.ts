import type { AlertRule } from '../../api/alerts.ts';

/** A rule in words, as the rules table shows it. */
export function ruleSummary(r: AlertRule): string {
  switch (r.kind) {
    case 'threshold':
      return `${r.metric_key} ${r.op} ${r.value}`;
    case 'nan_inf':
      return `${r.metric_key} is NaN or ±Infinity`;
    case 'no_improvement':
      return `${r.metric_key}: no new ${r.mode} in ${r.steps} steps`;
    case 'stalled':
      return `running, no metric for ${r.minutes} min`;
    case 'run_failed':
      return 'the run fails';
  }
}
