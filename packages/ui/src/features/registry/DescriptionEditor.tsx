import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Markdown } from '../../components/Markdown.tsx';
import { ErrorBox } from '../../components/status.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';

/** A model's or version's description: shown as Markdown, edited as text in place. */
export function DescriptionEditor({
  label,
  value,
  onSave,
}: {
  /** What it describes, for names: "Model description". */
  label: string;
  value: string;
  onSave: (text: string) => Promise<unknown>;
}) {
  const user = useCurrentUser();
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation({ mutationFn: onSave, onSuccess: () => setDraft(null) });
  if (draft === null)
    return (
      <div className="description-editor">
        {value ? <Markdown source={value} label={label} /> : <p className="muted">No description.</p>}
        <button type="button" onClick={() => setDraft(value)} disabled={!user}>
          {value ? 'Edit description' : 'Add description'}
        </button>
      </div>
    );
  return (
    <form
      className="description-editor"
      aria-label={`Edit ${label.toLowerCase()}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(draft);
      }}
    >
      <div className="field">
        <label htmlFor={id}>Description (Markdown)</label>
        <textarea id={id} value={draft} onChange={(e) => setDraft(e.target.value)} rows={6} />
      </div>
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save description
        </button>
        <button type="button" onClick={() => setDraft(null)}>
          Cancel
        </button>
      </div>
      <ErrorBox error={save.error} title="Could not save the description." />
    </form>
  );
}
