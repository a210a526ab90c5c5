import { useQueryClient } from '@tanstack/react-query';
import { setExperimentTag } from '../../api/experiments.ts';
import { NOTE_TAG } from '../../api/runs.ts';
import type { Experiment } from '../../api/types.ts';
import { DescriptionEditor } from '../../components/DescriptionEditor.tsx';

/** The experiment's Markdown description (MLflow's `mlflow.note.content` tag): folded when long. */
export function ExperimentDescription({ experiment }: { experiment: Experiment | undefined }) {
  const client = useQueryClient();
  if (!experiment) return null;
  const id = experiment.experiment_id;
  return (
    <DescriptionEditor
      label="Experiment description"
      subject="experiment description"
      fieldLabel="Experiment description (Markdown)"
      value={experiment.tags?.find((t) => t.key === NOTE_TAG)?.value ?? ''}
      foldLong
      onSave={async (text) => {
        await setExperimentTag(id, NOTE_TAG, text);
        await client.invalidateQueries({ queryKey: ['experiment', id] });
      }}
    />
  );
}
