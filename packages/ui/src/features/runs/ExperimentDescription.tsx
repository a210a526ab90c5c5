import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { setExperimentTag } from '../../api/experiments.ts';
import { NOTE_TAG } from '../../api/runs.ts';
import type { Experiment } from '../../api/types.ts';
import { Markdown } from '../../components/Markdown.tsx';
import { ErrorBox } from '../../components/status.tsx';
import './experiment-description.css';

/** Past this many characters or lines the description starts folded to a few lines. */
const LONG_CHARS = 400;
const LONG_LINES = 6;

/** The experiment's Markdown description (MLflow's `mlflow.note.content` tag): folded when long, editable. */
export function ExperimentDescription({ experiment }: { experiment: Experiment | undefined }) {
  const note = experiment?.tags?.find((t) => t.key === NOTE_TAG)?.value ?? '';
  const id = useId();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<string | null>(null);
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (text: string) => setExperimentTag(experiment!.experiment_id, NOTE_TAG, text),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['experiment', experiment!.experiment_id] });
      setDraft(null);
    },
  });
  if (!experiment) return null;
  const long = note.length > LONG_CHARS || note.split('\n').length > LONG_LINES;
  if (draft !== null)
    return (
      <form
        className="experiment-description"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
      >
        <div className="field">
          <label htmlFor={id}>Experiment description (Markdown)</label>
          <textarea id={id} value={draft} onChange={(e) => setDraft(e.target.value)} rows={8} />
        </div>
        <div className="toolbar">
          <button type="submit" className="primary" disabled={save.isPending}>
            Save description
          </button>
          <button type="button" onClick={() => setDraft(null)}>
            Cancel
          </button>
        </div>
        <ErrorBox error={save.error} />
      </form>
    );
  return (
    <div className="experiment-description">
      {note ? (
        <div id={`${id}-body`} className={long && !open ? 'description-folded' : undefined}>
          <Markdown source={note} label="Experiment description" />
        </div>
      ) : null}
      <div className="button-row">
        {note && long ? (
          <button type="button" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen(!open)}>
            {open ? 'Show less' : 'Show more'}
          </button>
        ) : null}
        <button type="button" onClick={() => setDraft(note)}>
          {note ? 'Edit experiment description' : 'Add experiment description'}
        </button>
      </div>
    </div>
  );
}
