import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { TagInput } from '../../api/registry.ts';
import { Empty, ErrorBox } from '../../components/status.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';

/** Tags of a model or a version: add, edit a value, delete. MLflow's own `mlflow.*` tags are not shown. */
export function TagEditor({
  label,
  tags,
  onSet,
  onDelete,
}: {
  /** The table's name: "Model tags", "Version tags". */
  label: string;
  tags: readonly TagInput[];
  onSet: (tag: TagInput) => Promise<unknown>;
  onDelete: (key: string) => Promise<unknown>;
}) {
  const user = useCurrentUser();
  const set = useMutation({ mutationFn: onSet });
  const remove = useMutation({ mutationFn: onDelete });
  const shown = tags.filter((t) => !t.key.startsWith('mlflow.')).sort((a, b) => (a.key < b.key ? -1 : 1));
  return (
    <div className="tag-editor">
      {shown.length === 0 ? (
        <Empty>No tags.</Empty>
      ) : (
        <table className="data" aria-label={label}>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((t) => (
              <TagRow
                key={t.key}
                tag={t}
                canEdit={!!user}
                onSave={(value) => set.mutateAsync({ key: t.key, value })}
                onDelete={() => remove.mutate(t.key)}
                busy={remove.isPending}
              />
            ))}
          </tbody>
        </table>
      )}
      {user ? <AddTag label={label} onAdd={(t) => set.mutateAsync(t)} busy={set.isPending} /> : null}
      <ErrorBox error={set.error ?? remove.error} title="Could not change the tags." />
    </div>
  );
}

function TagRow({
  tag,
  canEdit,
  onSave,
  onDelete,
  busy,
}: {
  tag: TagInput;
  canEdit: boolean;
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
            <input aria-label={`Value of ${tag.key}`} value={draft} onChange={(e) => setDraft(e.target.value)} />
            <button type="submit">Save</button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </form>
        )}
      </td>
      <td>
        {draft === null && canEdit ? (
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

function AddTag({ label, onAdd, busy }: { label: string; onAdd: (t: TagInput) => Promise<unknown>; busy: boolean }) {
  const keyId = useId();
  const valueId = useId();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  return (
    <form
      className="toolbar"
      aria-label={`Add to ${label.toLowerCase()}`}
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
