import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { deleteExperiment, renameExperiment, restoreExperiment } from '../../api/experiments.ts';
import type { Experiment } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorBox } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { ExperimentTagsEditor } from './ExperimentTagsEditor.tsx';

/** One experiment in the list, with rename, tags, delete (after a confirmation) and restore. */
export function ExperimentRow({
  experiment: e,
  columns,
  selected,
  onSelect,
  onDeleted,
}: {
  experiment: Experiment;
  columns: number;
  /** Picked for "compare experiments". */
  selected: boolean;
  onSelect: (on: boolean) => void;
  /** After a delete: the page offers Undo (this row leaves the list). */
  onDeleted: (experiment: Experiment) => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [name, setName] = useState(e.name);
  const [editingTags, setEditingTags] = useState(false);
  const client = useQueryClient();
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['experiments'] });
    await client.invalidateQueries({ queryKey: ['experiment', e.experiment_id] });
  };
  const rename = useMutation({
    mutationFn: () => renameExperiment(e.experiment_id, name.trim()),
    onSuccess: async () => {
      setRenaming(false);
      await refresh();
    },
  });
  const lifecycle = useMutation({
    mutationFn: (action: 'delete' | 'restore') =>
      (action === 'delete' ? deleteExperiment : restoreExperiment)(e.experiment_id),
    onSuccess: async (_, action) => {
      if (action === 'delete') onDeleted(e);
      await refresh();
    },
  });
  const deleted = e.lifecycle_stage === 'deleted';
  const userTags = (e.tags ?? []).filter((t) => !t.key.startsWith('mlflow.'));
  return (
    <>
      <tr data-experiment-id={e.experiment_id} className={deleted ? 'deleted' : undefined}>
        <td>
          <input
            type="checkbox"
            style={{ marginRight: 8 }}
            checked={selected}
            onChange={(ev) => onSelect(ev.target.checked)}
            aria-label={`Select ${e.name} to compare`}
          />
          {renaming ? (
            <form
              onSubmit={(ev) => {
                ev.preventDefault();
                if (name.trim()) rename.mutate();
              }}
            >
              <input
                aria-label={`New name for ${e.name}`}
                value={name}
                onChange={(ev) => setName(ev.target.value)}
                autoComplete="off"
              />{' '}
              <button type="submit" className="primary" disabled={rename.isPending}>
                Save
              </button>{' '}
              <button
                type="button"
                onClick={() => {
                  setRenaming(false);
                  rename.reset();
                }}
              >
                Cancel
              </button>
            </form>
          ) : (
            <>
              <Link to={`/experiments/${encodeURIComponent(e.experiment_id)}`}>{e.name}</Link>
              {deleted ? <span className="muted"> (deleted)</span> : null}
            </>
          )}
          <ErrorBox error={rename.error} />
        </td>
        <td className="num mono">{e.experiment_id}</td>
        <td>{formatTime(e.creation_time)}</td>
        <td>{formatTime(e.last_update_time)}</td>
        <td>
          {userTags.slice(0, 4).map((t) => (
            <span key={t.key} className="chip" title={`${t.key}=${t.value}`}>
              {t.key}={t.value}
            </span>
          ))}
          {userTags.length > 4 ? <span className="muted">+{userTags.length - 4}</span> : null}
        </td>
        <td className="row-actions">
          {deleted ? (
            <button
              type="button"
              onClick={() => lifecycle.mutate('restore')}
              disabled={lifecycle.isPending}
              aria-label={`Restore ${e.name}`}
            >
              Restore
            </button>
          ) : (
            <>
              <button
                type="button"
                onClick={() => {
                  setName(e.name);
                  rename.reset();
                  setRenaming(true);
                }}
                aria-label={`Rename ${e.name}`}
              >
                Rename
              </button>{' '}
              <button
                type="button"
                onClick={() => setEditingTags(!editingTags)}
                aria-expanded={editingTags}
                aria-label={`Edit tags of ${e.name}`}
              >
                Tags
              </button>{' '}
              <button
                type="button"
                className="danger"
                onClick={() => setConfirming(true)}
                // The default workspace's Default experiment is reserved; the server refuses to delete it.
                disabled={lifecycle.isPending || e.experiment_id === '0'}
                aria-label={`Delete ${e.name}`}
              >
                Delete
              </button>
            </>
          )}
          <ErrorBox error={lifecycle.error} />
          <ConfirmDialog
            open={confirming}
            title={`Delete experiment “${e.name}”?`}
            confirmLabel="Delete experiment"
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              lifecycle.mutate('delete');
            }}
          >
            <p>Its runs go with it. It stays restorable under “Show deleted experiments”.</p>
          </ConfirmDialog>
        </td>
      </tr>
      {editingTags && !deleted ? (
        <tr className="tags-editor-row">
          <td colSpan={columns}>
            <ExperimentTagsEditor experiment={e} onChanged={refresh} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
