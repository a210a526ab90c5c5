import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { deleteRuns, restoreRuns, setTagOnRuns } from '../../api/tags.ts';
import { Link } from '../../app/router.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorBox } from '../../components/status.tsx';
import { UndoToast } from '../../components/UndoToast.tsx';
import { useRefreshTags } from '../tags/queries.ts';
import '../tags/tags.css';
import { DeleteRunsList, deletedRunsMessage } from './delete-runs.tsx';

export interface BulkRunActionsProps {
  experimentId: string;
  selected: string[];
  /** A selected run's name, for the delete confirmation. */
  nameOf: (runId: string) => string;
  /** The table shows deleted runs (restore) instead of active ones (tag, delete). */
  showDeleted: boolean;
  onShowDeleted: (v: boolean) => void;
  /** After a delete or restore: the selected runs left the table. */
  onMoved: () => void;
}

/**
 * Actions on the selected runs (tag, delete, restore, all in one request each) and the way to the
 * tags page. Delete asks first and offers Undo after. Each action clears the last one's message.
 */
export function BulkRunActions(props: BulkRunActionsProps) {
  const { experimentId, selected, nameOf, showDeleted, onShowDeleted, onMoved } = props;
  const keyId = useId();
  const valueId = useId();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [deleted, setDeleted] = useState<string[]>([]);
  const refresh = useRefreshTags();
  const tag = useMutation({ mutationFn: () => setTagOnRuns(selected, key.trim(), value), onSuccess: refresh });
  const move = useMutation({
    mutationFn: ({ action, runIds }: { action: 'delete' | 'restore'; runIds: string[] }) =>
      (action === 'delete' ? deleteRuns : restoreRuns)(runIds),
    onSuccess: async (_, { action, runIds }) => {
      setDeleted(action === 'delete' ? runIds : []);
      onMoved();
      await refresh();
    },
  });
  const start = (action: () => void, other: { reset: () => void }) => {
    other.reset();
    action();
  };
  const n = selected.length;
  const tagsHref = `/tags?${new URLSearchParams([['exp', experimentId], ...selected.map((id) => ['run', id])])}`;
  return (
    <section className="bulk-bar" aria-label="Bulk actions">
      <label className="check">
        <input type="checkbox" checked={showDeleted} onChange={(e) => onShowDeleted(e.target.checked)} />
        Show deleted runs
      </label>
      <span className="muted">{n === 0 ? 'Select runs to tag, delete or restore them.' : `${n} selected:`}</span>
      {showDeleted ? (
        <button
          type="button"
          disabled={n === 0 || move.isPending}
          onClick={() => start(() => move.mutate({ action: 'restore', runIds: selected }), tag)}
        >
          Restore selected
        </button>
      ) : (
        <>
          <form
            className="bulk-tag"
            onSubmit={(e) => {
              e.preventDefault();
              if (n > 0 && key.trim()) start(() => tag.mutate(), move);
            }}
          >
            <div className="field">
              <label htmlFor={keyId}>Tag key</label>
              <input id={keyId} value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" size={12} />
            </div>
            <div className="field">
              <label htmlFor={valueId}>Tag value</label>
              <input
                id={valueId}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                autoComplete="off"
                size={12}
              />
            </div>
            <button type="submit" disabled={n === 0 || !key.trim() || tag.isPending}>
              Tag selected
            </button>
          </form>
          <button
            type="button"
            className="danger"
            disabled={n === 0 || move.isPending}
            onClick={() => setConfirming(true)}
          >
            Delete selected
          </button>
        </>
      )}
      <Link to={tagsHref}>Manage tags{n > 0 ? ` of ${n} selected` : ''}</Link>
      {tag.isSuccess ? <span role="status">Tagged {tag.data.runs_updated} runs.</span> : null}
      <ErrorBox error={tag.error ?? move.error} />
      <ConfirmDialog
        open={confirming}
        title={`Delete ${n === 1 ? 'this run' : `${n} runs`}?`}
        confirmLabel={n === 1 ? 'Delete run' : `Delete ${n} runs`}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          start(() => move.mutate({ action: 'delete', runIds: selected }), tag);
        }}
      >
        <DeleteRunsList names={selected.map(nameOf)} />
      </ConfirmDialog>
      {deleted.length > 0 ? (
        <UndoToast
          key={deleted.join()}
          message={deletedRunsMessage(deleted.length)}
          undo={async () => {
            await restoreRuns(deleted);
            await refresh();
          }}
          onClose={() => setDeleted([])}
        />
      ) : null}
    </section>
  );
}
