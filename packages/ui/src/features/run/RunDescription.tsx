import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { NOTE_TAG, setRunTag } from '../../api/runs.ts';
import type { Run } from '../../api/types.ts';
import { Markdown } from '../../components/Markdown.tsx';
import { ErrorBox } from '../../components/status.tsx';
import { lookup } from '../runs/run-values.ts';
import './run-page.css';

/** The run's Markdown description (MLflow's `mlflow.note.content` tag): shown rendered, edited as text. */
export function RunDescription({ run }: { run: Run }) {
  const runId = run.info.run_id;
  const note = lookup(run).tags.get(NOTE_TAG) ?? '';
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (text: string) => setRunTag(runId, NOTE_TAG, text),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['run', runId] });
      setDraft(null);
    },
  });
  return (
    <section aria-labelledby={`${id}-h`} className="run-description">
      <div className="section-head">
        <h2 id={`${id}-h`}>Description</h2>
        {draft === null ? (
          <button type="button" onClick={() => setDraft(note)}>
            {note ? 'Edit description' : 'Add description'}
          </button>
        ) : null}
      </div>
      {draft === null ? (
        note ? (
          <Markdown source={note} label="Run description" />
        ) : (
          <p className="muted">No description.</p>
        )
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(draft);
          }}
        >
          <div className="field">
            <label htmlFor={id}>Description (Markdown)</label>
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
          {draft ? <Markdown source={draft} label="Description preview" /> : null}
          <ErrorBox error={save.error} />
        </form>
      )}
    </section>
  );
}
