import type { ReactNode } from 'react';
import type { Run } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { KeyValueTable } from '../../components/KeyValueTable.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { formatDuration, formatTime, runDuration } from '../../lib/format.ts';
import { RunAlerts } from '../alerts/RunAlerts.tsx';
import { lookup, runName } from '../runs/run-values.ts';
import { ChildRuns } from './ChildRuns.tsx';
import { useRun } from './queries.ts';
import { RunDatasets } from './RunDatasets.tsx';
import { RunDescription } from './RunDescription.tsx';
import { RunModels } from './RunModels.tsx';
import { RunTraces } from './RunTraces.tsx';
import { RunValues } from './RunValues.tsx';

/**
 * What a run is at a glance: status, timing, source, lineage (parent, children), the models made
 * from it, its datasets, description, and its params, metrics (latest, min, max) and tags under
 * one search box (`?oq=`).
 */
export function OverviewTab({ run, query, onQuery }: { run: Run; query: string; onQuery: (q: string) => void }) {
  const tags = lookup(run).tags;
  const info = run.info;
  const parentId = tags.get('mlflow.parentRunId');
  const commit = tags.get('mlflow.source.git.commit');
  const rows: [string, ReactNode][] = [
    ['Status', <StatusBadge key="s" status={info.status} />],
    [
      'Run ID',
      <span key="id" className="mono">
        {info.run_id}
      </span>,
    ],
    ['Started', formatTime(info.start_time)],
    ['Ended', formatTime(info.end_time) || (info.status === 'RUNNING' ? 'still running' : '')],
    ['Duration', formatDuration(runDuration(Number(info.start_time), Number(info.end_time) || undefined))],
    ['User', info.user_id ?? tags.get('mlflow.user') ?? ''],
    ['Source', [tags.get('mlflow.source.name'), tags.get('mlflow.source.type')].filter(Boolean).join(' · ')],
    [
      'Git commit',
      commit ? (
        <span key="c" className="mono" title={commit}>
          {commit.slice(0, 12)}
        </span>
      ) : (
        ''
      ),
    ],
    ['Git branch', tags.get('mlflow.source.git.branch') ?? ''],
    ['Repository', tags.get('mlflow.source.git.repoURL') ?? ''],
    ['Parent run', parentId ? <ParentLink key="p" runId={parentId} /> : ''],
    ['Lifecycle', info.lifecycle_stage ?? ''],
    [
      'Artifact URI',
      <span key="a" className="mono">
        {info.artifact_uri ?? ''}
      </span>,
    ],
  ];
  return (
    <>
      <RunAlerts runId={info.run_id} />
      <div className="overview">
        <div>
          <h2>Details</h2>
          <KeyValueTable label="Run details" keyHeader="Field" rows={rows.filter(([, v]) => v !== '')} />
          <ChildRuns run={run} />
          <RunModels run={run} />
          <RunTraces run={run} />
          <RunDatasets datasets={run.inputs?.dataset_inputs ?? []} />
        </div>
        <div>
          <RunDescription run={run} />
          <RunValues run={run} query={query} onQuery={onQuery} />
        </div>
      </div>
    </>
  );
}

function ParentLink({ runId }: { runId: string }) {
  const parent = useRun(runId);
  return (
    <Link to={`/runs/${runId}`} data-testid="parent-run">
      {parent.data ? runName(parent.data) : runId.slice(0, 8)}
    </Link>
  );
}
