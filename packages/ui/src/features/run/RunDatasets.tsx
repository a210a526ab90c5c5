import type { DatasetInput } from '../../api/types.ts';
import { profileEntries, schemaColumns } from '../../lib/dataset-info.ts';

/** The run's input datasets: one row each, then each one's schema (columns and types) and profile where logged. */
export function RunDatasets({ datasets }: { datasets: readonly DatasetInput[] }) {
  return (
    <section aria-labelledby="run-datasets-h">
      <h2 id="run-datasets-h">Datasets</h2>
      {datasets.length === 0 ? (
        <p className="muted">No datasets logged.</p>
      ) : (
        <table className="data wrap-cells" aria-label="Datasets">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Context</th>
              <th scope="col">Digest</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={`${d.dataset.name}:${d.dataset.digest}`}>
                <td>{d.dataset.name}</td>
                <td className="fixed">{d.tags?.find((t) => t.key === 'mlflow.data.context')?.value ?? ''}</td>
                <td className="mono fixed">{d.dataset.digest}</td>
                <td className="fixed" title={d.dataset.source}>
                  {d.dataset.source_type}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {datasets.map((d) => (
        <DatasetDetails key={`${d.dataset.name}:${d.dataset.digest}`} input={d} />
      ))}
    </section>
  );
}

function DatasetDetails({ input: { dataset } }: { input: DatasetInput }) {
  const columns = schemaColumns(dataset.schema);
  const profile = profileEntries(dataset.profile);
  if (columns.length === 0 && profile.length === 0) return null;
  const title = `${dataset.name} (${dataset.digest})`;
  return (
    <div className="dataset-details">
      <h3>{title}</h3>
      {columns.length > 0 ? (
        <table className="data wrap-cells" aria-label={`Schema of ${title}`}>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional; names may repeat
              <tr key={i}>
                <td className="mono">{c.name}</td>
                <td className="mono">{c.type}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {profile.length > 0 ? (
        <table className="data wrap-cells" aria-label={`Profile of ${title}`}>
          <thead>
            <tr>
              <th scope="col">Profile</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {profile.map(([k, v]) => (
              <tr key={k}>
                <td className="mono">{k}</td>
                <td className="mono">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
