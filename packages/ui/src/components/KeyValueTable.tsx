import type { ReactNode } from 'react';

/** A two-column table of label → value, for overviews and small tag lists. */
export function KeyValueTable({
  rows,
  label,
  keyHeader = 'Key',
  valueHeader = 'Value',
}: {
  rows: readonly (readonly [ReactNode, ReactNode])[];
  label: string;
  keyHeader?: string;
  valueHeader?: string;
}) {
  return (
    <table className="kv" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{keyHeader}</th>
          <th scope="col">{valueHeader}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([k, v], i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are static per render
          <tr key={i}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
