import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useUrlState } from '../../app/router.tsx';
import { KeyValueTable } from '../../components/KeyValueTable.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { formatDuration, formatTime, shortId } from '../../lib/format.ts';
import { ancestorsOf, buildSpanTree, visibleRows } from '../../lib/span-tree.ts';
import { str } from '../../lib/url-state.ts';
import { useExperiment } from '../experiments/queries.ts';
import { useTrace } from './queries.ts';
import { SpanDetail } from './SpanDetail.tsx';
import { SpanTree } from './SpanTree.tsx';
import { TraceAssessments } from './TraceAssessments.tsx';
import { TraceState } from './TraceState.tsx';
import './traces.css';

const traceSpec = { span: str() };

/** Set once the span rows of a trace are on screen: what `bench/` times as the page's first paint. */
export const SPANS_PAINTED_MARK = 'trove:trace-spans-painted';

/** One trace (`/traces/:traceId`): span tree with waterfall, the selected span (`?span=`), tags, assessments. */
export default function TracePage({ traceId }: { traceId: string }) {
  const [state, setState] = useUrlState(traceSpec);
  const query = useTrace(traceId);
  const data = query.data;
  const experiment = useExperiment(data?.trace.experiment_id);
  const spans = data?.spans;
  const tree = useMemo(() => (spans ? buildSpanTree(spans) : null), [spans]);
  const indexOf = useMemo(() => new Map(spans?.map((s, i) => [s.span_id, i]) ?? []), [spans]);
  // Folds are the reader's passing choice (like scroll position), not part of the URL.
  const [folded, setFolded] = useState<ReadonlySet<number>>(() => new Set());
  const selected = indexOf.get(state.span) ?? tree?.roots[0] ?? -1;
  const rows = useMemo(() => (tree ? visibleRows(tree, folded) : []), [tree, folded]);
  const onToggle = useCallback((i: number) => {
    setFolded((prev) => {
      const next = new Set(prev);
      if (!next.delete(i)) next.add(i);
      return next;
    });
  }, []);
  const onSelect = useCallback(
    (i: number) => {
      const id = spans?.[i]?.span_id;
      if (id !== undefined) setState({ span: id }, { replace: true });
    },
    [spans, setState],
  );
  // A span chosen by URL inside a folded subtree: unfold its ancestors so it shows.
  useEffect(() => {
    if (!tree || selected < 0) return;
    const hidden = ancestorsOf(tree, selected).filter((a) => folded.has(a));
    if (hidden.length > 0) setFolded((prev) => new Set([...prev].filter((f) => !hidden.includes(f))));
  }, [tree, selected, folded]);
  const painted = rows.length > 0;
  useEffect(() => {
    if (!painted) return;
    requestAnimationFrame(() => performance.mark(SPANS_PAINTED_MARK, { detail: { traceId } }));
  }, [painted, traceId]);

  if (query.isPending) return <Loading label="Loading trace…" />;
  if (!data || !tree)
    return (
      <section className="page">
        <ErrorBox error={query.error} title="Could not load the trace." />
      </section>
    );
  const t = data.trace;
  const expPath = `/experiments/${encodeURIComponent(t.experiment_id)}`;
  const userTags = Object.entries(t.tags).filter(([k]) => !k.startsWith('mlflow.'));
  return (
    <section className="page trace-page">
      <div className="breadcrumbs">
        <Link to="/experiments">Experiments</Link> /{' '}
        <Link to={expPath}>{experiment.data?.name ?? `Experiment ${t.experiment_id}`}</Link> /{' '}
        <Link to={`${expPath}/traces`}>Traces</Link> /
      </div>
      <div className="page-header">
        <h1>{t.name || shortId(t.trace_id)}</h1>
        <TraceState state={t.state} />
        <span className="muted mono">{t.trace_id}</span>
      </div>
      <p className="trace-facts">
        <span>{formatTime(t.timestamp_ms)}</span>
        <span>Latency {formatDuration(t.execution_time_ms) || '—'}</span>
        <span>{t.span_count} spans</span>
        {t.total_tokens !== null || t.input_tokens !== null ? (
          <span>
            Tokens {t.total_tokens ?? (t.input_tokens ?? 0) + (t.output_tokens ?? 0)} ({t.input_tokens ?? 0} in,{' '}
            {t.output_tokens ?? 0} out)
          </span>
        ) : null}
        {t.run_id ? (
          <span>
            Run <Link to={`/runs/${encodeURIComponent(t.run_id)}`}>{shortId(t.run_id)}</Link>
          </span>
        ) : null}
        {userTags.map(([k, v]) => (
          <span key={k} className="chip">
            {k}: {v}
          </span>
        ))}
      </p>
      {spans && spans.length > 0 ? (
        <div className="trace-body">
          <SpanTree
            spans={spans}
            tree={tree}
            rows={rows}
            folded={folded}
            selected={selected}
            onSelect={onSelect}
            onToggle={onToggle}
          />
          {selected >= 0 ? (
            <SpanDetail traceId={t.trace_id} span={spans[selected]} node={tree.nodes[selected]} />
          ) : null}
        </div>
      ) : (
        <p className="muted">This trace has no span data yet.</p>
      )}
      <TraceAssessments traceId={t.trace_id} assessments={data.assessments} />
      <details className="span-section">
        <summary>Tags and metadata</summary>
        <KeyValueTable label="Trace tags" rows={Object.entries(t.tags)} />
        <KeyValueTable label="Trace metadata" rows={Object.entries(t.metadata)} />
      </details>
    </section>
  );
}
