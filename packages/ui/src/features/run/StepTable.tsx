import { useQuery } from '@tanstack/react-query';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { formatBytes } from '../../lib/format.ts';
import { parseLoggedTable } from '../../lib/logged-table.ts';

/** Rows drawn per table: a logged table is for looking at, the file has the rest. */
export const TABLE_ROWS = 100;
/** Tables larger than this are not read into the page (a Range request reads no more). */
const TABLE_BYTES = 4 * 1024 * 1024;

type TableBody = { tooLarge: true; size: number } | { tooLarge: false; text: string };

async function fetchTable(url: string, signal: AbortSignal): Promise<TableBody> {
  const res = await fetch(url, { headers: { Range: `bytes=0-${TABLE_BYTES - 1}` }, signal });
  if (!res.ok) throw new Error(`Could not read the table: ${res.status} ${res.statusText}`);
  const total = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? Number.NaN);
  if (total > TABLE_BYTES) {
    await res.body?.cancel();
    return { tooLarge: true, size: total };
  }
  return { tooLarge: false, text: await res.text() };
}

/** A logged `{columns, data}` table as an HTML table of plain text, its first rows only, saying so. */
export function StepTable({ url, size, label }: { url: string; size: number | undefined; label: string }) {
  const tooLarge = size !== undefined && size > TABLE_BYTES;
  const body = useQuery({
    queryKey: ['step-table', url],
    queryFn: ({ signal }) => fetchTable(url, signal),
    enabled: !tooLarge,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (tooLarge || body.data?.tooLarge)
    return (
      <p className="muted">
        This table is {formatBytes(size ?? (body.data?.tooLarge ? body.data.size : undefined))}, too large to show here;
        download it from the Artifacts tab.
      </p>
    );
  if (body.isPending) return <Loading label="Reading the table…" />;
  if (!body.data) return <ErrorBox error={body.error} />;
  let table: ReturnType<typeof parseLoggedTable>;
  try {
    table = parseLoggedTable(body.data.text, TABLE_ROWS);
  } catch (e) {
    return <ErrorBox error={e} />;
  }
  return (
    <>
      <p className="muted step-table-count">
        {table.rows.length < table.totalRows
          ? `Showing ${table.rows.length} of ${table.totalRows} rows`
          : `${table.totalRows} ${table.totalRows === 1 ? 'row' : 'rows'}`}
      </p>
      <div className="step-table">
        <table className="data" aria-label={label}>
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns may repeat a name; position is the identity
                <th key={i}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position
              <tr key={r}>
                {row.map((cell, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells have no identity but their position
                  <td key={i}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
