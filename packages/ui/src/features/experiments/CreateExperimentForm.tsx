import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { createExperiment } from '../../api/experiments.ts';
import { Link } from '../../app/router.tsx';
import { ErrorBox } from '../../components/status.tsx';

/** Name a new experiment; the server's message explains a clash or a bad name. */
export function CreateExperimentForm() {
  const id = useId();
  const [name, setName] = useState('');
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: (n: string) => createExperiment(n),
    onSuccess: async () => {
      setName('');
      await client.invalidateQueries({ queryKey: ['experiments'] });
    },
  });
  return (
    <form
      className="toolbar"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) create.mutate(name.trim());
      }}
    >
      <div className="field">
        <label htmlFor={id}>New experiment name</label>
        <input id={id} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </div>
      <button type="submit" className="primary" disabled={!name.trim() || create.isPending}>
        Create experiment
      </button>
      {create.isSuccess ? (
        <span role="status">
          Created <Link to={`/experiments/${encodeURIComponent(create.data)}`}>{create.variables}</Link>.
        </span>
      ) : null}
      <ErrorBox error={create.error} title="Could not create the experiment:" />
    </form>
  );
}
