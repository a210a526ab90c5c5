import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { deleteRunTag, NOTE_TAG, setRunTag } from '../../api/runs.ts';
import type { Run } from '../../api/types.ts';
import { KeyValueTable } from '../../components/KeyValueTable.tsx';
import { Empty, ErrorBox } from '../../components/status.tsx';
import { latestError } from '../../lib/latest-error.ts';

type Tag = { key: string; value: string };

/** User tags (add, edit, delete through MLflow's set-tag/delete-tag), then MLflow's system tags (`mlflow.*`), read-only. */
export function TagsTab({ run }: { run: Run }) {
  const runId = run.info.run_id;
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['run', runId] });
  const set = useMutation({ mutationFn: (t: Tag) => setRunTag(runId, t.key, t.value), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (key: string) => deleteRunTag(runId, key), onSuccess: refresh });
  const tags = [...(run.data.tags ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1));
  const user = tags.filter((t) => !t.key.startsWith('mlflow.'));
  const system = tags.filter((t) => t.key.startsWith('mlflow.') && t.key !== NOTE_TAG);
  return (
    <div>
      <h2>Tags</h2>
      {user.length === 0 ? (
        <Empty>No user tags.</Empty>
      ) : (
        <table className="data wrap-cells" aria-label="Tags">
          <thead>
            <tr>
              <th scope="col" className="key-col">
                Key
              </th>
              <th scope="col">Value</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {user.map((t) => (
              <TagRow
                key={t.key}
                tag={t}
                onSave={(value) => set.mutateAsync({ key: t.key, value })}
                onDelete={() => remove.mutate(t.key)}
                busy={remove.isPending}
              />
            ))}
          </tbody>
        </table>
      )}
      <AddTagForm onAdd={(t) => set.mutateAsync(t)} busy={set.isPending} />
      <ErrorBox error={latestError(set, remove)} />
      <h2>System tags</h2>
      {system.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <KeyValueTable
          label="System tags"
          rows={system.map((t) => [
            <span key="k" className="mono">
              {t.key}
            </span>,
            <span key="v" style={{ whiteSpace: 'pre-wrap' }}>
              {t.value}
            </span>,
          ])}
        />
      )}
    </div>
  );
}

function TagRow({
  tag,
  onSave,
  onDelete,
  busy,
}: {
  tag: Tag;
  onSave: (value: string) => Promise<unknown>;
  onDelete: () => void;
  busy: boolean;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <tr data-tag={tag.key}>
      <th scope="row" className="mono" style={{ fontWeight: 400 }}>
        {tag.key}
      </th>
      <td style={{ whiteSpace: 'pre-wrap' }}>
        {draft === null ? (
          tag.value
        ) : (
          <form
            className="toolbar"
            onSubmit={(e) => {
              e.preventDefault();
              onSave(draft).then(
                () => setDraft(null),
                () => {},
              );
            }}
          >
            <input
              aria-label={`Value of ${tag.key}`}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              autoComplete="off"
            />
            <button type="submit">Save</button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </form>
        )}
      </td>
      <td>
        {draft === null ? (
          <span className="toolbar">
            <button type="button" onClick={() => setDraft(tag.value)} aria-label={`Edit tag ${tag.key}`}>
              Edit
            </button>
            <button type="button" onClick={onDelete} disabled={busy} aria-label={`Delete tag ${tag.key}`}>
              Delete
            </button>
          </span>
        ) : null}
      </td>
    </tr>
  );
}

function AddTagForm({ onAdd, busy }: { onAdd: (t: Tag) => Promise<unknown>; busy: boolean }) {
  const keyId = useId();
  const valueId = useId();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  return (
    <form
      className="toolbar"
      aria-label="Add a tag"
      onSubmit={(e) => {
        e.preventDefault();
        onAdd({ key: key.trim(), value }).then(
          () => {
            setKey('');
            setValue('');
          },
          () => {},
        );
      }}
    >
      <div className="field">
        <label htmlFor={keyId}>Tag key</label>
        <input id={keyId} value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={valueId}>Tag value</label>
        <input id={valueId} value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" />
      </div>
      <button type="submit" disabled={!key.trim() || busy}>
        Add tag
      </button>
    </form>
  );
}
