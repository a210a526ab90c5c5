import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { createRegisteredModel, type TagInput } from '../../api/registry.ts';
import { navigate } from '../../app/router.tsx';
import { ErrorBox } from '../../components/status.tsx';
import { NeedsUser, useCurrentUser } from '../../components/UserField.tsx';
import { modelHref } from './queries.ts';

/** A new registered model with a description and tags; opens the model's page when created. */
export function CreateModelForm({ onCancel }: { onCancel: () => void }) {
  const user = useCurrentUser();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState<TagInput[]>([]);
  const ids = { name: useId(), description: useId() };
  const create = useMutation({
    mutationFn: () =>
      createRegisteredModel(
        name.trim(),
        description,
        tags.filter((t) => t.key.trim()).map((t) => ({ key: t.key.trim(), value: t.value })),
      ),
    onSuccess: (m) => {
      void qc.invalidateQueries({ queryKey: ['registered-models'] });
      navigate(modelHref(m.name));
    },
  });
  const update = (i: number, patch: Partial<TagInput>) =>
    setTags(tags.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <form
      className="create-model"
      aria-label="Create model"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <NeedsUser user={user} />
      <div className="field">
        <label htmlFor={ids.name}>Model name</label>
        <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" required />
      </div>
      <div className="field">
        <label htmlFor={ids.description}>Description (Markdown)</label>
        <textarea
          id={ids.description}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          rows={4}
          cols={60}
        />
      </div>
      {tags.map((t, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their position is their identity
        <div className="toolbar" key={i}>
          <input aria-label={`Tag ${i + 1} key`} value={t.key} onChange={(e) => update(i, { key: e.target.value })} />
          <input
            aria-label={`Tag ${i + 1} value`}
            value={t.value}
            onChange={(e) => update(i, { value: e.target.value })}
          />
          <button
            type="button"
            onClick={() => setTags(tags.filter((_, j) => j !== i))}
            aria-label={`Remove tag ${i + 1}`}
          >
            Remove
          </button>
        </div>
      ))}
      <div className="button-row">
        <button type="button" onClick={() => setTags([...tags, { key: '', value: '' }])}>
          Add a tag
        </button>
        <button type="submit" className="primary" disabled={!user || !name.trim() || create.isPending}>
          Create model
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorBox error={create.error} title="Could not create the model." />
    </form>
  );
}
