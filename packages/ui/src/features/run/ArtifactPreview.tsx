import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { artifactUrl } from '../../api/mlflow.ts';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { previewKind } from '../../lib/artifact-kind.ts';
import { parseDelimited } from '../../lib/csv.ts';
import { formatBytes } from '../../lib/format.ts';
import { MarkdownPreview } from './MarkdownPreview.tsx';
import { RunModelView } from './RunModelView.tsx';

/** Text previews read only the first MiB (a Range request): a 10 GB log costs what it shows. */
const TEXT_BYTES = 1024 * 1024;
const CSV_ROWS = 500;

interface TextBody {
  text: string;
  truncated: boolean;
  size: number | null;
}

async function fetchHead(url: string, signal: AbortSignal): Promise<TextBody> {
  const res = await fetch(url, { headers: { Range: `bytes=0-${TEXT_BYTES - 1}` }, signal });
  if (!res.ok && res.status !== 206) {
    let message = res.statusText;
    try {
      message = (await res.json()).message ?? message;
    } catch {}
    throw new Error(message);
  }
  const total = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1];
  const buf = await res.arrayBuffer();
  const size = total ? Number(total) : buf.byteLength;
  return { text: new TextDecoder().decode(buf), truncated: size > buf.byteLength, size };
}

export function ArtifactPreview({ runId, path }: { runId: string; path: string }) {
  const url = artifactUrl(runId, path);
  const kind = previewKind(path);
  const needsText =
    kind === 'text' || kind === 'markdown' || kind === 'json' || kind === 'csv' || kind === 'tsv' || kind === 'html';
  const body = useQuery({
    queryKey: ['artifact-head', runId, path],
    queryFn: ({ signal }) => fetchHead(url, signal),
    enabled: needsText,
    staleTime: 5 * 60_000,
  });
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (
    <div data-preview-kind={kind}>
      <div className="preview-head">
        <h2 className="mono" style={{ margin: 0, wordBreak: 'break-all' }}>
          {path}
        </h2>
        <a className="button" href={url} download={name}>
          Download
        </a>
      </div>
      {body.data?.truncated ? (
        <p className="muted">
          Showing the first {formatBytes(TEXT_BYTES)} of {formatBytes(body.data.size ?? undefined)}.
        </p>
      ) : null}
      {needsText && body.isPending ? <Loading /> : null}
      <ErrorBox error={body.error} />
      {name === 'MLmodel' ? (
        <RunModelView runId={runId} dir={path.slice(0, Math.max(0, path.lastIndexOf('/')))} />
      ) : null}
      {name === 'MLmodel' && body.data ? <h3>MLmodel file</h3> : null}
      {kind === 'image' ? <img src={url} alt={name} /> : null}
      {kind === 'audio' ? (
        // biome-ignore lint/a11y/useMediaCaption: user artifacts come without captions
        <audio controls preload="metadata" src={url} aria-label={name} />
      ) : null}
      {kind === 'video' ? (
        // biome-ignore lint/a11y/useMediaCaption: user artifacts come without captions
        <video controls preload="metadata" src={url} aria-label={name} />
      ) : null}
      {kind === 'pdf' ? <PdfPreview url={url} name={name} /> : null}
      {body.data && (kind === 'text' || kind === 'json') ? (
        <TextPreview body={body.data} json={kind === 'json'} />
      ) : null}
      {body.data && kind === 'markdown' ? <MarkdownPreview text={body.data.text} name={name} /> : null}
      {body.data && (kind === 'csv' || kind === 'tsv') ? (
        <CsvPreview body={body.data} delimiter={kind === 'tsv' ? '\t' : ','} name={name} />
      ) : null}
      {body.data && kind === 'html' ? (
        // No scripts, no same-origin access: the page is shown, never run.
        <iframe sandbox="" srcDoc={body.data.text} title={`Preview of ${name}`} />
      ) : null}
      {kind === 'none' ? <p className="muted">No preview for this file type.</p> : null}
    </div>
  );
}

function TextPreview({ body, json }: { body: TextBody; json: boolean }) {
  const text = useMemo(() => {
    if (!json || body.truncated) return body.text;
    try {
      return JSON.stringify(JSON.parse(body.text), null, 2);
    } catch {
      return body.text;
    }
  }, [body, json]);
  return (
    <pre>
      <code>{text}</code>
    </pre>
  );
}

function CsvPreview({ body, delimiter, name }: { body: TextBody; delimiter: string; name: string }) {
  const { rows, truncated } = useMemo(() => parseDelimited(body.text, delimiter, CSV_ROWS + 1), [body, delimiter]);
  if (rows.length === 0) return <p className="muted">Empty file.</p>;
  const [header, ...data] = rows;
  return (
    <>
      <table className="data" aria-label={`Table ${name}`}>
        <thead>
          <tr>
            {header.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.slice(0, CSV_ROWS).map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
            <tr key={i}>
              {header.map((_, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <td key={j}>{r[j] ?? ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {truncated || data.length > CSV_ROWS || body.truncated ? (
        <p className="muted">Showing the first {Math.min(CSV_ROWS, data.length)} rows.</p>
      ) : null}
    </>
  );
}

/** PDFs come as attachments; a blob URL lets the browser's viewer show them inline. */
function PdfPreview({ url, name }: { url: string; name: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let revoked = false;
    let objectUrl: string | null = null;
    fetch(url)
      .then((r) => r.blob())
      .then((b) => {
        if (revoked) return;
        objectUrl = URL.createObjectURL(new Blob([b], { type: 'application/pdf' }));
        setSrc(objectUrl);
      })
      .catch(() => setSrc(null));
    return () => {
      revoked = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url]);
  return src ? <iframe src={src} title={`Preview of ${name}`} /> : <Loading />;
}
