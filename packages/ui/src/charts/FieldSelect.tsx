import { useId } from 'react';
import { fieldKey } from './chart-layout.ts';
import type { ChartFields } from './chart-runs.ts';

/** A labelled picker of one field (metric, param or tag), grouped. */
export function FieldSelect({
  label,
  value,
  fields,
  onChange,
  groups = ['metrics', 'params', 'tags'],
  unlistedNote,
}: {
  label: string;
  value: string;
  fields: ChartFields;
  onChange: (field: string) => void;
  groups?: (keyof ChartFields)[];
  /** Said beside a current value that is not among `fields` (a saved choice the picker does not offer). */
  unlistedNote?: string;
}) {
  const id = useId();
  const known = groups.some((g) => fields[g].includes(value));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {known ? null : (
          <option value={value}>
            {value ? fieldKey(value) : '—'}
            {value && unlistedNote ? ` (${unlistedNote})` : ''}
          </option>
        )}
        {groups.map((g) =>
          fields[g].length === 0 ? null : (
            <optgroup key={g} label={g === 'metrics' ? 'Metrics' : g === 'params' ? 'Parameters' : 'Tags'}>
              {fields[g].map((f) => (
                <option key={f} value={f}>
                  {fieldKey(f)}
                </option>
              ))}
            </optgroup>
          ),
        )}
      </select>
    </div>
  );
}
