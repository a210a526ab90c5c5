import { useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { NOTE_TAG, setRunTag } from '../../api/runs.ts';
import type { Run } from '../../api/types.ts';
import { DescriptionEditor } from '../../components/DescriptionEditor.tsx';
import { lookup } from '../runs/run-values.ts';

/** The run's Markdown description (MLflow's `mlflow.note.content` tag). */
export function RunDescription({ run }: { run: Run }) {
  const runId = run.info.run_id;
  const id = useId();
  const client = useQueryClient();
  return (
    <section aria-labelledby={`${id}-h`} className="run-description">
      <h2 id={`${id}-h`}>Description</h2>
      <DescriptionEditor
        label="Run description"
        value={lookup(run).tags.get(NOTE_TAG) ?? ''}
        preview
        onSave={async (text) => {
          await setRunTag(runId, NOTE_TAG, text);
          await client.invalidateQueries({ queryKey: ['run', runId] });
        }}
      />
    </section>
  );
}
