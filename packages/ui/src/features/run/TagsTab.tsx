import type { Run } from '../../api/types.ts';
import { KeyValueTable } from '../../components/KeyValueTable.tsx';
import { Empty } from '../../components/status.tsx';

/** User tags first, MLflow's system tags (`mlflow.*`) after them. */
export function TagsTab({ run }: { run: Run }) {
  const tags = [...(run.data.tags ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1));
  const user = tags.filter((t) => !t.key.startsWith('mlflow.'));
  const system = tags.filter((t) => t.key.startsWith('mlflow.'));
  const row = (t: { key: string; value: string }) =>
    [
      <span key="k" className="mono">
        {t.key}
      </span>,
      <span key="v" style={{ whiteSpace: 'pre-wrap' }}>
        {t.value}
      </span>,
    ] as const;
  return (
    <div>
      <h2>Tags</h2>
      {user.length === 0 ? <Empty>No user tags.</Empty> : <KeyValueTable label="Tags" rows={user.map(row)} />}
      <h2>System tags</h2>
      {system.length === 0 ? <Empty>None.</Empty> : <KeyValueTable label="System tags" rows={system.map(row)} />}
    </div>
  );
}
