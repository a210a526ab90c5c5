import { useQuery } from '@tanstack/react-query';
import { listDeployments } from '../../api/deployments.ts';
import { Link } from '../../app/router.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { versionHref } from './queries.ts';

/** Where a model's versions run: the current record of each environment, then the history (recorded by CD). */
export function DeploymentsTable({ name }: { name: string }) {
  const list = useQuery({
    queryKey: ['deployments', name],
    queryFn: ({ signal }) => listDeployments(name, signal),
  });
  if (list.isPending) return <Loading />;
  if (!list.data) return <ErrorBox error={list.error} title="Could not load the deployments." />;
  const rows = list.data.deployments;
  if (rows.length === 0)
    return <Empty>No deployments recorded. A CD pipeline records them with `trove deployments record`.</Empty>;
  return (
    <table className="data" aria-label="Deployments">
      <thead>
        <tr>
          <th>Environment</th>
          <th>Version</th>
          <th>Status</th>
          <th>When</th>
          <th>Who</th>
          <th>URL</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.deployment_id} data-current={d.current} className={d.current ? undefined : 'muted'}>
            <td>
              {d.environment}
              {d.current ? '' : ' (earlier)'}
            </td>
            <td>
              <Link to={versionHref(name, d.version)}>v{d.version}</Link>
            </td>
            <td>{d.status}</td>
            <td>{formatTime(d.time)}</td>
            <td>{d.user_id ?? ''}</td>
            <td>
              {d.url ? (
                <a href={d.url} target="_blank" rel="noopener noreferrer">
                  {d.url}
                </a>
              ) : (
                ''
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
