import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { TraceSummary } from '../../api/traces.ts';
import { Link } from '../../app/router.tsx';
import { formatDuration, formatTime, shortId } from '../../lib/format.ts';
import { TraceState } from './TraceState.tsx';

const ROW_HEIGHT = 34;
const COLUMNS = ['Trace', 'Request', 'Response', 'State', 'Time', 'Latency', 'Tokens', 'Tags', 'Assessments', 'Run'];

/** User tags only: `mlflow.*` ones are shown as columns or not at all. */
const userTags = (tags: Record<string, string>) => Object.entries(tags).filter(([k]) => !k.startsWith('mlflow.'));

const TraceRow = memo(function TraceRow({ t, index }: { t: TraceSummary; index: number }) {
  const tokens = t.total_tokens ?? (t.input_tokens ?? 0) + (t.output_tokens ?? 0);
  return (
    <tr data-trace-id={t.trace_id} aria-rowindex={index + 2} style={{ height: ROW_HEIGHT }}>
      <td>
        <Link to={`/traces/${encodeURIComponent(t.trace_id)}`}>{t.name || shortId(t.trace_id)}</Link>
      </td>
      <td className="trace-preview mono" title={t.request_preview ?? ''}>
        {t.request_preview}
      </td>
      <td className="trace-preview mono" title={t.response_preview ?? ''}>
        {t.response_preview}
      </td>
      <td>
        <TraceState state={t.state} />
      </td>
      <td className="mono">{formatTime(t.timestamp_ms)}</td>
      <td className="num">{formatDuration(t.execution_time_ms)}</td>
      <td
        className="num"
        title={t.input_tokens !== null ? `${t.input_tokens} in, ${t.output_tokens ?? 0} out` : undefined}
      >
        {t.input_tokens === null && t.total_tokens === null ? '' : tokens}
      </td>
      <td className="trace-tags">
        {userTags(t.tags).map(([k, v]) => (
          <span key={k} className="chip">
            {k}: {v}
          </span>
        ))}
      </td>
      <td>
        {t.assessments.feedback + t.assessments.expectation > 0
          ? [
              t.assessments.feedback ? `${t.assessments.feedback} feedback` : '',
              t.assessments.expectation ? `${t.assessments.expectation} expectation` : '',
            ]
              .filter(Boolean)
              .join(', ')
          : ''}
      </td>
      <td>{t.run_id ? <Link to={`/runs/${encodeURIComponent(t.run_id)}`}>{shortId(t.run_id)}</Link> : null}</td>
    </tr>
  );
});

/** The Traces tab's table: rows virtualized, the next page asked for as the end nears. */
export function TracesTable({
  traces,
  hasMore,
  loadingMore,
  onLoadMore,
}: {
  traces: TraceSummary[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: traces.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= traces.length - 30) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, traces.length, onLoadMore]);
  const paddingTop = items.length > 0 ? items[0].start : 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  return (
    <div className="grid-scroll traces-scroll" ref={scrollRef}>
      <table className="grid traces-grid" aria-label="Traces" aria-rowcount={traces.length + 1 + (hasMore ? 1 : 0)}>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {paddingTop > 0 ? (
            <tr className="grid-pad" style={{ height: paddingTop }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          ) : null}
          {items.map((item) => (
            <TraceRow key={traces[item.index].trace_id} t={traces[item.index]} index={item.index} />
          ))}
          {paddingBottom > 0 ? (
            <tr className="grid-pad" style={{ height: paddingBottom }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          ) : null}
        </tbody>
      </table>
      {loadingMore ? <p className="muted">Loading more traces…</p> : null}
    </div>
  );
}
