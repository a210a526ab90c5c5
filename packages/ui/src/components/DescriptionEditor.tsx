import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Markdown } from './Markdown.tsx';
import { ErrorBox } from './status.tsx';
import './description-editor.css';

/** Past this many characters or lines a foldable description starts folded to a few lines. */
const LONG_CHARS = 400;
const LONG_LINES = 6;

/**
 * A Markdown description (a model's, a version's, a run's or an experiment's): shown rendered,
 * edited as text in place. The one editor every page uses.
 */
export function DescriptionEditor({
  label,
  value,
  onSave,
  canEdit = true,
  subject = 'description',
  fieldLabel = 'Description (Markdown)',
  foldLong = false,
  preview = false,
  rows = 8,
}: {
  /** What it describes, for names: "Model description". */
  label: string;
  value: string;
  onSave: (text: string) => Promise<unknown>;
  canEdit?: boolean;
  /** The button text's object: "Edit description", "Add experiment description". */
  subject?: string;
  fieldLabel?: string;
  /** Fold a long description to its first lines until "Show more". */
  foldLong?: boolean;
  /** Render the draft below the text box while editing. */
  preview?: boolean;
  rows?: number;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const save = useMutation({ mutationFn: onSave, onSuccess: () => setDraft(null) });
  if (draft === null) {
    const long = foldLong && (value.length > LONG_CHARS || value.split('\n').length > LONG_LINES);
    return (
      <div className="description-editor">
        {value ? (
          <div id={`${id}-body`} className={long && !open ? 'description-folded' : undefined}>
            <Markdown source={value} label={label} />
          </div>
        ) : (
          <p className="muted">No description.</p>
        )}
        <div className="button-row">
          {long ? (
            <button type="button" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen(!open)}>
              {open ? 'Show less' : 'Show more'}
            </button>
          ) : null}
          <button type="button" onClick={() => setDraft(value)} disabled={!canEdit}>
            {value ? `Edit ${subject}` : `Add ${subject}`}
          </button>
        </div>
      </div>
    );
  }
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
        <label htmlFor={id}>{fieldLabel}</label>
        <textarea id={id} value={draft} onChange={(e) => setDraft(e.target.value)} rows={rows} />
      </div>
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save description
        </button>
        <button type="button" onClick={() => setDraft(null)}>
          Cancel
        </button>
      </div>
      {preview && draft ? <Markdown source={draft} label="Description preview" /> : null}
      <ErrorBox error={save.error} title="Could not save the description." />
    </form>
  );
}
