import { useId, useMemo, useRef, useState } from 'react';
import { artifactUrl } from '../../api/mlflow.ts';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { useSeen } from '../../components/use-seen.ts';
import { previewKind } from '../../lib/artifact-kind.ts';
import { useArtifactFiles } from './artifact-files.ts';
import { commonPaths } from './compare-rows.ts';

/** Artifacts are listed for at most this many runs (one listing request per folder per run). */
export const MAX_ARTIFACT_RUNS = 20;
/**
 * Up to this many runs the listing starts by itself; beyond, on request: twenty listings competed
 * for the server and the browser with the charts of a large comparison while it loaded.
 */
export const AUTO_LIST_RUNS = 10;

/** Artifact paths present in every compared run; images among them side by side, one column per run. */
export function CommonArtifacts({ runs }: { runs: readonly { id: string; label: string }[] }) {
  const shown = runs.slice(0, MAX_ARTIFACT_RUNS);
  // Listed once the section nears the viewport: it sits below the charts.
  const anchor = useRef<HTMLDivElement>(null);
  const [asked, setAsked] = useState(runs.length <= AUTO_LIST_RUNS);
  const seen = useSeen(anchor) && asked;
  const queries = useArtifactFiles(seen ? shown.map((r) => r.id) : []);
  const loading = queries.some((q) => q.isPending);
  const error = queries.find((q) => q.error)?.error;
  const key = loading ? '' : queries.map((q) => q.dataUpdatedAt).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by when the listings last changed
  const common = useMemo(() => (loading ? [] : commonPaths(queries.map((q) => q.data ?? []))), [key]);
  const images = common.filter((p) => previewKind(p) === 'image');
  const [chosen, setChosen] = useState('');
  const selectId = useId();
  const path = images.includes(chosen) ? chosen : (images[0] ?? '');
  if (!asked) {
    return (
      <div ref={anchor}>
        <button type="button" onClick={() => setAsked(true)}>
          List the artifacts of the first {shown.length} runs
        </button>
      </div>
    );
  }
  if (!seen || loading) {
    return (
      <div ref={anchor}>
        <Loading label="Listing artifacts…" />
      </div>
    );
  }
  return (
    <div className="common-artifacts">
      <ErrorBox error={error} title="Could not list a run's artifacts:" />
      {runs.length > shown.length ? <p className="muted">Artifacts of the first {shown.length} runs.</p> : null}
      {common.length === 0 ? (
        <Empty>No artifact path is present in every run.</Empty>
      ) : (
        <>
          <ul className="mono" aria-label="Common artifacts">
            {common.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          {images.length > 0 ? (
            <>
              <div className="field">
                <label htmlFor={selectId}>Image</label>
                <select id={selectId} value={path} onChange={(e) => setChosen(e.target.value)}>
                  {images.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
              </div>
              <div className="side-by-side" data-path={path}>
                {shown.map((r) => (
                  <figure key={r.id} data-run-id={r.id}>
                    <img src={artifactUrl(r.id, path)} alt={`${path} of ${r.label}`} loading="lazy" />
                    <figcaption>{r.label}</figcaption>
                  </figure>
                ))}
              </div>
            </>
          ) : null}
        </>
      )}
    </div>
  );
}
