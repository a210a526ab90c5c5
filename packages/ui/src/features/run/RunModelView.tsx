import { useQuery } from '@tanstack/react-query';
import { getRunModel } from '../../api/runs.ts';
import { MlModelView } from '../../components/MlModelView.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import './run-page.css';

/** The MLflow model logged in a run's artifact folder `dir` (the folder holding `MLmodel`). */
export function RunModelView({ runId, dir }: { runId: string; dir: string }) {
  const model = useQuery({
    queryKey: ['run-model', runId, dir],
    queryFn: ({ signal }) => getRunModel(runId, dir, signal),
    staleTime: 5 * 60_000,
  });
  if (model.isPending) return <Loading label="Reading the MLmodel…" />;
  if (model.error) return <ErrorBox error={model.error} />;
  return (
    <section className="run-model" aria-label="MLflow model">
      <h3>MLflow model</h3>
      <MlModelView
        modelUri={dir ? `runs:/${runId}/${dir}` : `runs:/${runId}`}
        info={model.data.mlmodel}
        example={model.data.input_example}
        error={model.data.mlmodel_error}
        missing="This server does not hold this model's files."
      />
    </section>
  );
}
