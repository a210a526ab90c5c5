import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { deleteExperimentTag, setExperimentTag } from '../../api/experiments.ts';
import type { Experiment } from '../../api/types.ts';
import { ErrorBox } from '../../components/status.tsx';
import { latestError } from '../../lib/latest-error.ts';

/** An experiment's tags: edit values in place, add new ones, remove any (system tags are shown read-only). */
export function ExperimentTagsEditor({
  experiment: e,
  onChanged,
}: {
  experiment: Experiment;
  onChanged: () => Promise<void>;
}) {
  const keyId = useId();
  const valueId = useId();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const set = useMutation({
    mutationFn: (t: { key: string; value: string }) => setExperimentTag(e.experiment_id, t.key, t.value),
    onSuccess: async () => {
      setKey('');
      setValue('');
      await onChanged();
    },
  });
  const remove = useMutation({
    mutationFn: (k: string) => deleteExperimentTag(e.experiment_id, k),
    onSuccess: onChanged,
  });
  const tags = [...(e.tags ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1));
  return (
    <section className="experiment-tags" aria-label={`Tags of ${e.name}`}>
      {tags.length === 0 ? <p className="muted">No tags yet.</p> : null}
      <ul>
        {tags.map((t) => (
          <li key={t.key}>
            <code>{t.key}</code> = {t.value}{' '}
            {t.key.startsWith('mlflow.') ? (
              <span className="muted">(system)</span>
            ) : (
              <button
                type="button"
                onClick={() => remove.mutate(t.key)}
                disabled={remove.isPending}
                aria-label={`Remove tag ${t.key}`}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        className="toolbar"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (key.trim()) set.mutate({ key: key.trim(), value });
        }}
      >
        <div className="field">
          <label htmlFor={keyId}>Tag key</label>
          <input id={keyId} value={key} onChange={(ev) => setKey(ev.target.value)} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={valueId}>Tag value</label>
          <input id={valueId} value={value} onChange={(ev) => setValue(ev.target.value)} autoComplete="off" />
        </div>
        <button type="submit" disabled={!key.trim() || set.isPending}>
          Set tag
        </button>
      </form>
      <ErrorBox error={latestError(set, remove)} />
    </section>
  );
}
