import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { setTagOnRuns } from '../../api/tags.ts';
import { Link, useUrlState } from '../../app/router.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { flag, list, str } from '../../lib/url-state.ts';
import { useExperiment, useExperimentSearch } from '../experiments/queries.ts';
import { useRefreshTags, useTagKeys } from './queries.ts';
import { TagKeyRow } from './TagKeyRow.tsx';
import './tags.css';

/** `exp`: the experiment in scope (empty: the whole workspace); `run`: runs selected in the runs table. */
export const tagsSpec = { exp: str(), run: list(), system: flag() };

/** Every run tag key of an experiment or the workspace, with counts; rename, delete, colour and bulk-set. */
export default function TagsPage() {
  const [state, setState] = useUrlState(tagsSpec);
  const experiment = useExperiment(state.exp || undefined);
  const keys = useTagKeys(state.exp, state.system);
  const runIds = state.run ?? [];
  return (
    <section className="page">
      {state.exp ? (
        <div className="breadcrumbs">
          <Link to="/experiments">Experiments</Link> /{' '}
          <Link to={`/experiments/${encodeURIComponent(state.exp)}`}>{experiment.data?.name ?? state.exp}</Link> /
        </div>
      ) : null}
      <div className="page-header">
        <h1>Tags</h1>
        <span className="muted">
          {state.exp ? `runs of ${experiment.data?.name ?? `experiment ${state.exp}`}` : 'all runs of the workspace'}
        </span>
      </div>
      <div className="toolbar">
        <ScopeSelect value={state.exp} onChange={(exp) => setState({ exp, run: null })} />
        <label className="check">
          <input
            type="checkbox"
            checked={state.system}
            onChange={(e) => setState({ system: e.target.checked }, { replace: true })}
          />
          Show MLflow system tags (mlflow.*)
        </label>
      </div>
      {runIds.length > 0 && state.exp ? (
        <SelectedRunsBar experimentId={state.exp} runIds={runIds} onClear={() => setState({ run: null })} />
      ) : null}
      {!state.exp ? (
        <p className="muted">
          Renaming and deleting a key works per experiment: choose one above. Colours apply to the whole workspace.
        </p>
      ) : null}
      <ErrorBox error={keys.error} title="Could not load tag keys." />
      {keys.isPending ? (
        <Loading />
      ) : (keys.data ?? []).length === 0 ? (
        <Empty>No run carries a tag here yet.</Empty>
      ) : (
        <table className="data tag-keys" aria-label="Tag keys">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col" className="num">
                Runs
              </th>
              <th scope="col" className="num">
                Distinct values
              </th>
              <th scope="col">Colour</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(keys.data ?? []).map((k) => (
              <TagKeyRow key={k.key} summary={k} experimentId={state.exp} selectedRuns={runIds} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ScopeSelect({ value, onChange }: { value: string; onChange: (exp: string) => void }) {
  const id = useId();
  const experiments = useExperimentSearch('', ['name ASC']);
  const all = experiments.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="field">
      <label htmlFor={id}>Scope</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Whole workspace</option>
        {all.map((e) => (
          <option key={e.experiment_id} value={e.experiment_id}>
            {e.name}
          </option>
        ))}
        {value && !all.some((e) => e.experiment_id === value) ? (
          <option value={value}>Experiment {value}</option>
        ) : null}
      </select>
    </div>
  );
}

/** The runs chosen in the runs table: add any tag to all of them at once. */
function SelectedRunsBar({
  experimentId,
  runIds,
  onClear,
}: {
  experimentId: string;
  runIds: string[];
  onClear: () => void;
}) {
  const keyId = useId();
  const valueId = useId();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const refresh = useRefreshTags();
  const add = useMutation({ mutationFn: () => setTagOnRuns(runIds, key.trim(), value), onSuccess: refresh });
  const back = `/experiments/${encodeURIComponent(experimentId)}?${new URLSearchParams(runIds.map((id) => ['sel', id]))}`;
  return (
    <section className="selected-runs" aria-label="Selected runs">
      <p>
        <strong>{runIds.length}</strong> run{runIds.length === 1 ? '' : 's'} selected in the{' '}
        <Link to={back}>runs table</Link>.{' '}
        <button type="button" onClick={onClear}>
          Clear selection
        </button>
      </p>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) add.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={keyId}>New tag key</label>
          <input id={keyId} value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={valueId}>Value</label>
          <input id={valueId} value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" />
        </div>
        <button type="submit" className="primary" disabled={!key.trim() || add.isPending}>
          Add to {runIds.length} run{runIds.length === 1 ? '' : 's'}
        </button>
        {add.isSuccess ? <span role="status">Tagged {add.data.runs_updated} runs.</span> : null}
      </form>
      <ErrorBox error={add.error} />
    </section>
  );
}
