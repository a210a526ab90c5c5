import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { searchRuns } from '../../api/mlflow.ts';
import type { Run } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { KeyValueTable } from '../../components/KeyValueTable.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { identifier, stringLiteral } from '../../lib/filter.ts';
import { formatDuration, formatTime, runDuration } from '../../lib/format.ts';
import { lookup, runName } from '../runs/run-values.ts';
import { useRun } from './queries.ts';
import { RunDescription } from './RunDescription.tsx';

/** Status, timing, source, lineage (parent/children, datasets) of one run. */
export function OverviewTab({ run }: { run: Run }) {
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
  const datasets = run.inputs?.dataset_inputs ?? [];
  return (
    <div className="overview">
      <div>
        <h2>Details</h2>
        <KeyValueTable label="Run details" keyHeader="Field" rows={rows.filter(([, v]) => v !== '')} />
      </div>
      <div>
        <RunDescription run={run} />
        <h2>Datasets</h2>
        {datasets.length === 0 ? (
          <p className="muted">No datasets logged.</p>
        ) : (
          <table className="data" aria-label="Datasets">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Context</th>
                <th scope="col">Digest</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {datasets.map((d) => (
                <tr key={`${d.dataset.name}:${d.dataset.digest}`}>
                  <td>{d.dataset.name}</td>
                  <td>{d.tags?.find((t) => t.key === 'mlflow.data.context')?.value ?? ''}</td>
                  <td className="mono">{d.dataset.digest}</td>
                  <td title={d.dataset.source}>{d.dataset.source_type}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ChildRuns run={run} />
      </div>
    </div>
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

function ChildRuns({ run }: { run: Run }) {
  const filter = `${identifier('tags', 'mlflow.parentRunId')} = ${stringLiteral(run.info.run_id)}`;
  const children = useQuery({
    queryKey: ['children', run.info.run_id],
    queryFn: ({ signal }) => searchRuns({ experimentIds: [run.info.experiment_id], filter, maxResults: 50 }, signal),
  });
  const items = children.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <>
      <h2>Child runs</h2>
      <ul>
        {items.map((c) => (
          <li key={c.info.run_id}>
            <Link to={`/runs/${c.info.run_id}`}>{runName(c)}</Link> <StatusBadge status={c.info.status} />
          </li>
        ))}
      </ul>
      {children.data?.nextPageToken ? (
        <p className="muted">More child runs exist; filter the runs table by this parent.</p>
      ) : null}
    </>
  );
}
