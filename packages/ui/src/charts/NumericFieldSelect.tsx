import type { ChartFields } from './chart-runs.ts';
import { FieldSelect } from './FieldSelect.tsx';

/** A field picker that lists only numeric fields; a current choice that is not one says why. */
export function NumericFieldSelect({
  label,
  value,
  fields,
  numeric,
  onChange,
  groups,
}: {
  label: string;
  value: string;
  /** Every field of the runs, to tell "not numeric" from "not in these runs". */
  fields: ChartFields;
  numeric: ChartFields;
  onChange: (field: string) => void;
  groups: (keyof ChartFields)[];
}) {
  const exists = (Object.keys(fields) as (keyof ChartFields)[]).some((g) => fields[g].includes(value));
  return (
    <FieldSelect
      label={label}
      value={value}
      fields={numeric}
      groups={groups}
      onChange={onChange}
      unlistedNote={exists ? 'not numeric' : 'not in these runs'}
    />
  );
}
