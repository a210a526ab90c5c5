import type { Notifications } from '@trove/protocol';

type NotificationKind = Notifications.NotificationKind;

import type { RegistryEvent } from '../services/registry-events.ts';

/** Who an event concerns, beyond the watchers of what it is about. */
export type Audience = { role: 'deciders' } | { role: 'requester' } | { role: 'mentioned' } | { role: 'run_owner' };

/** What an event means to notifications: its kind, who is told, and the words and link they get. */
export interface EventNotice {
  kind: NotificationKind;
  /** Kind the direct audience gets instead (a mention in a comment, a review asked of a decider). */
  directKind?: NotificationKind;
  audience?: Audience;
  /** Watched targets whose watchers are told (`model` ids are the model's numeric id). */
  watched: { type: 'experiment' | 'run' | 'model'; id: string }[];
  title: string;
  body: string;
  /** UI path without the workspace prefix. */
  path: string;
}

const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const enc = encodeURIComponent;

/** The UI path prefix of a workspace: none for `default`. */
export function workspacePrefix(workspace: string): string {
  return workspace === 'default' ? '' : `/workspaces/${enc(workspace)}`;
}

function reviewTarget(p: Record<string, unknown>): string {
  if (p.action === 'transition') return `stage ${s(p.stage)}`;
  if (p.action === 'delete_alias') return `removing alias @${s(p.alias)}`;
  return `alias @${s(p.alias)}`;
}

/**
 * The notice of an event, or undefined for events nobody is notified of (and entities this
 * module does not know: new ones are ignored until they are taught here). `runExperiment` is the
 * run's experiment id for run events (its watchers are told too).
 */
export function noticeOf(e: RegistryEvent, runExperiment?: string): EventNotice | undefined {
  const p = e.payload;
  const actor = e.actor ?? 'someone';
  const model = e.modelId === null ? [] : [{ type: 'model' as const, id: String(e.modelId) }];
  const versionPath = `/models/${enc(e.modelName)}/versions/${s(e.version ?? p.version)}`;
  const mv = `${e.modelName} v${s(e.version ?? p.version)}`;
  const runTargets = e.runId
    ? [
        { type: 'run' as const, id: e.runId },
        ...(runExperiment ? [{ type: 'experiment' as const, id: runExperiment }] : []),
      ]
    : [];
  const runPath = runExperiment
    ? `/experiments/${enc(runExperiment)}/runs/${enc(s(e.runId))}`
    : `/runs/${enc(s(e.runId))}`;
  const key = `${e.entity}/${e.action}`;
  switch (key) {
    case 'transition_request/created':
      return {
        kind: 'review_requested',
        audience: { role: 'deciders' },
        watched: model,
        title: `${actor} requests review: ${mv} to ${reviewTarget(p)}`,
        body: s(p.comment),
        path: `/models/${enc(e.modelName)}#request-${s(p.request_id)}`,
      };
    case 'transition_request/applied':
    case 'transition_request/rejected':
    case 'transition_request/failed': {
      const verb = { applied: 'approved and applied', rejected: 'rejected', failed: 'approved, but failed to apply' }[
        e.action as 'applied' | 'rejected' | 'failed'
      ];
      return {
        kind: 'review_decided',
        audience: { role: 'requester' },
        watched: [],
        title: `Your request ${mv} to ${reviewTarget(p)} was ${verb}`,
        body: s(p.rejection_comment || p.error || p.approver_comment),
        path: `/models/${enc(e.modelName)}#request-${s(p.request_id)}`,
      };
    }
    case 'comment/created': {
      const on = e.runId ? `run ${s(p.run_id)}` : mv;
      return {
        kind: 'comment',
        directKind: 'mention',
        audience: { role: 'mentioned' },
        watched: e.runId ? runTargets : model,
        title: `${actor} commented on ${on}`,
        body: s(p.body),
        path: e.runId ? `${runPath}?tab=comments` : versionPath,
      };
    }
    case 'model_version/stage_transitioned':
      return {
        kind: 'stage_alias',
        watched: model,
        title: `${mv} moved to ${s(p.to_stage)} (by ${actor})`,
        body: `From ${s(p.from_stage)}.`,
        path: versionPath,
      };
    case 'model_version_alias/created':
    case 'model_version_alias/deleted':
      return {
        kind: 'stage_alias',
        watched: model,
        title:
          e.action === 'created'
            ? `${e.modelName}@${s(p.alias)} now points at v${s(p.version)} (by ${actor})`
            : `${e.modelName}@${s(p.alias)} was removed (by ${actor})`,
        body: '',
        path: `/models/${enc(e.modelName)}`,
      };
    case 'model_version/created':
      return {
        kind: 'new_version',
        watched: model,
        title: `New version ${mv} (by ${actor})`,
        body: s(p.description),
        path: versionPath,
      };
    case 'deployment/created':
      return {
        kind: 'deployment',
        watched: model,
        title: `${mv} deployed to ${s(p.environment)} (${s(p.status) || 'running'})`,
        body: s(p.url),
        path: versionPath,
      };
    case 'run/failed':
    case 'run/finished':
      return {
        kind: e.action === 'failed' ? 'run_failed' : 'run_finished',
        audience: e.action === 'failed' ? { role: 'run_owner' } : undefined,
        watched: runTargets,
        title: `Run ${s(p.run_name) || s(e.runId)} ${e.action}`,
        body: '',
        path: runPath,
      };
    case 'alert/fired':
      return {
        kind: 'alert',
        audience: { role: 'run_owner' },
        watched: runTargets,
        title: `Alert "${s(p.rule_name)}" fired on run ${s(e.runId)}`,
        body: [s(p.condition), p.metric_key ? `${s(p.metric_key)} = ${s(p.value)} at step ${s(p.step)}` : '']
          .filter((x) => x)
          .join('\n'),
        path: runPath,
      };
    default:
      return undefined;
  }
}
