import type { Run } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { ErrorBox } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { useRunLoggedModels, useRunModelVersions } from './queries.ts';

/** What became of the run: registered model versions made from it and MLflow 3 logged models it produced. */
export function RunModels({ run }: { run: Run }) {
  const { experiment_id: expId, run_id: runId } = run.info;
  const versions = useRunModelVersions(runId);
  const logged = useRunLoggedModels(expId, runId);
  const versionList = versions.data ?? [];
  const loggedList = logged.data?.items ?? [];
  return (
    <section aria-labelledby="run-models-h">
      <h2 id="run-models-h">Models</h2>
      <ErrorBox error={versions.error} title="Could not load model versions." />
      <ErrorBox error={logged.error} title="Could not load logged models." />
      {versions.isPending || logged.isPending ? null : versionList.length === 0 && loggedList.length === 0 ? (
        <p className="muted">No model registered or logged from this run.</p>
      ) : null}
      {versionList.length > 0 ? (
        <table className="data wrap-cells" aria-label="Registered model versions">
          <thead>
            <tr>
              <th scope="col">Registered model version</th>
              <th scope="col">Stage</th>
              <th scope="col">Aliases</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {versionList.map((v) => (
              <tr key={`${v.name}/${v.version}`} data-version={`${v.name}/${v.version}`}>
                <td>
                  <Link to={`/models/${encodeURIComponent(v.name)}/versions/${encodeURIComponent(v.version)}`}>
                    {v.name} v{v.version}
                  </Link>
                </td>
                <td className="fixed">{v.current_stage && v.current_stage !== 'None' ? v.current_stage : ''}</td>
                <td>{(v.aliases ?? []).map((a) => `@${a}`).join(' ')}</td>
                <td className="fixed">{formatTime(v.creation_timestamp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {loggedList.length > 0 ? (
        <table className="data wrap-cells" aria-label="Logged models">
          <thead>
            <tr>
              <th scope="col">Logged model</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Model ID</th>
            </tr>
          </thead>
          <tbody>
            {loggedList.map((m) => (
              <tr key={m.info.model_id} data-model-id={m.info.model_id}>
                <td>{m.info.name}</td>
                <td className="fixed">{m.info.model_type ?? ''}</td>
                <td className="fixed">
                  {m.info.status
                    .replace(/^LOGGED_MODEL_/, '')
                    .replace(/_/g, ' ')
                    .toLowerCase()}
                </td>
                <td className="mono">{m.info.model_id}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
