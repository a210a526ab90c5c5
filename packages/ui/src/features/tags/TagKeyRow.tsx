import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import {
  clearTagColor,
  deleteTagKey,
  renameTagKey,
  setTagColor,
  setTagOnRuns,
  type TagKeySummary,
} from '../../api/tags.ts';
import { ErrorBox } from '../../components/status.tsx';
import { latestError } from '../../lib/latest-error.ts';
import { TAG_PALETTE } from '../../lib/tag-color.ts';
import { useRefreshTags } from './queries.ts';
import { TagChip } from './TagChip.tsx';

const PALETTE_NAMES: Record<(typeof TAG_PALETTE)[number], string> = {
  '#2563eb': 'Blue',
  '#16a34a': 'Green',
  '#dc2626': 'Red',
  '#d97706': 'Amber',
  '#7c3aed': 'Violet',
  '#0891b2': 'Cyan',
  '#db2777': 'Pink',
  '#4b5563': 'Grey',
};

type Mode = 'idle' | 'rename' | 'delete' | 'set';

/** One tag key: its counts, colour, and the rename / delete / set-on-selected-runs actions. */
export function TagKeyRow({
  summary,
  experimentId,
  selectedRuns,
}: {
  summary: TagKeySummary;
  experimentId: string;
  selectedRuns: string[];
}) {
  const { key } = summary;
  const [mode, setMode] = useState<Mode>('idle');
  const [text, setText] = useState('');
  const refresh = useRefreshTags();
  const done = async () => {
    setMode('idle');
    await refresh();
  };
  const rename = useMutation({ mutationFn: () => renameTagKey(experimentId, key, text.trim()), onSuccess: done });
  const remove = useMutation({ mutationFn: () => deleteTagKey(experimentId, key), onSuccess: done });
  const set = useMutation({ mutationFn: () => setTagOnRuns(selectedRuns, key, text), onSuccess: done });
  const color = useMutation({
    mutationFn: (c: string) => (c ? setTagColor(key, c) : clearTagColor(key)),
    onSuccess: refresh,
  });
  const editable = !!experimentId && !summary.system;
  const start = (m: Mode, initial = '') => {
    setText(initial);
    rename.reset();
    remove.reset();
    set.reset();
    setMode(m);
  };
  const cancel = (
    <button type="button" onClick={() => setMode('idle')}>
      Cancel
    </button>
  );
  return (
    <tr data-tag-key={key}>
      <th scope="row">
        <TagChip tagKey={key} color={summary.color} />
        {summary.system ? <span className="muted"> system</span> : null}
      </th>
      <td className="num">{summary.run_count}</td>
      <td className="num">{summary.value_count}</td>
      <td>
        <select
          aria-label={`Colour of ${key}`}
          value={summary.color ?? ''}
          onChange={(e) => color.mutate(e.target.value)}
          disabled={color.isPending}
        >
          <option value="">None</option>
          {TAG_PALETTE.map((c) => (
            <option key={c} value={c}>
              {PALETTE_NAMES[c]}
            </option>
          ))}
          {summary.color && !(TAG_PALETTE as readonly string[]).includes(summary.color) ? (
            <option value={summary.color}>{summary.color}</option>
          ) : null}
        </select>
        <ErrorBox error={color.error} />
      </td>
      <td className="tag-actions">
        {mode === 'idle' ? (
          <>
            <button
              type="button"
              disabled={!editable}
              onClick={() => start('rename', key)}
              aria-label={`Rename ${key}`}
            >
              Rename
            </button>
            <button type="button" disabled={!editable} onClick={() => start('delete')} aria-label={`Delete ${key}`}>
              Delete
            </button>
            {selectedRuns.length > 0 && editable ? (
              <button type="button" onClick={() => start('set')} aria-label={`Set ${key} on selected runs`}>
                Set on {selectedRuns.length} selected
              </button>
            ) : null}
          </>
        ) : null}
        {mode === 'rename' ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (text.trim() && text.trim() !== key) rename.mutate();
            }}
          >
            <input
              aria-label={`New name for ${key}`}
              value={text}
              onChange={(e) => setText(e.target.value)}
              autoComplete="off"
            />
            <button type="submit" className="primary" disabled={rename.isPending}>
              Save
            </button>
            {cancel}
          </form>
        ) : null}
        {mode === 'delete' ? (
          <span>
            Remove <code>{key}</code> from {summary.run_count} run{summary.run_count === 1 ? '' : 's'}?{' '}
            <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
              Confirm delete
            </button>
            {cancel}
          </span>
        ) : null}
        {mode === 'set' ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              set.mutate();
            }}
          >
            <input
              aria-label={`Value of ${key} for the selected runs`}
              value={text}
              onChange={(e) => setText(e.target.value)}
              autoComplete="off"
            />
            <button type="submit" className="primary" disabled={set.isPending}>
              Set
            </button>
            {cancel}
          </form>
        ) : null}
        <ErrorBox error={latestError(rename, remove, set)} />
      </td>
    </tr>
  );
}
