import { type ReactNode, useMemo } from 'react';
import type { TraceSpan, TraceSpanOutline } from '../../api/traces.ts';
import { JsonView } from '../../components/JsonView.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { formatDuration } from '../../lib/format.ts';
import { chatMessages, spanExceptions } from '../../lib/span-content.ts';
import type { SpanNode } from '../../lib/span-tree.ts';
import { Conversation } from './Conversation.tsx';
import { useTraceSpan } from './queries.ts';
import { TraceState } from './TraceState.tsx';

function Section({ title, children, open = true }: { title: string; children: ReactNode; open?: boolean }) {
  return (
    <details className="span-section" open={open}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}

/** The selected span: its outline at once, then (fetched) exceptions, conversation and data. */
export function SpanDetail({ traceId, span, node }: { traceId: string; span: TraceSpanOutline; node: SpanNode }) {
  const full = useTraceSpan(traceId, span.span_id);
  return (
    <section className="span-detail" aria-label={`Span ${span.name}`}>
      <header className="span-detail-head">
        <h2>{span.name}</h2>
        <TraceState state={span.status} />
        {span.span_type ? <span className="span-type">{span.span_type}</span> : null}
      </header>
      <p className="muted">
        {formatDuration(node.durationMs)} · starts at +{formatDuration(node.startMs) || '0ms'} ·{' '}
        <span className="mono">{span.span_id}</span>
      </p>
      {full.data ? (
        <SpanData span={full.data} />
      ) : full.isPending ? (
        <Loading label="Loading the span…" />
      ) : (
        <ErrorBox error={full.error} title="Could not load the span." />
      )}
    </section>
  );
}

function SpanData({ span }: { span: TraceSpan }) {
  const messages = useMemo(() => chatMessages(span), [span]);
  const exceptions = useMemo(() => spanExceptions(span), [span]);
  const hasAttributes = Object.keys(span.attributes).length > 0;
  return (
    <>
      {span.status === 'ERROR' || exceptions.length > 0 ? (
        <div className="span-exception" role="alert">
          {span.status_message ? <p className="span-exception-title">{span.status_message}</p> : null}
          {exceptions.map((ex, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: events are positional
            <div key={i}>
              <p className="span-exception-title">
                {ex.type}
                {ex.message ? `: ${ex.message}` : ''}
              </p>
              {ex.stacktrace ? <pre className="span-stacktrace">{ex.stacktrace}</pre> : null}
            </div>
          ))}
        </div>
      ) : null}
      {messages ? (
        <Section title="Conversation">
          <Conversation messages={messages} />
        </Section>
      ) : null}
      <Section title="Inputs" open={!messages}>
        <JsonView value={span.inputs} label="Inputs" />
      </Section>
      <Section title="Outputs" open={!messages}>
        <JsonView value={span.outputs} label="Outputs" />
      </Section>
      {hasAttributes ? (
        <Section title={`Attributes (${Object.keys(span.attributes).length})`}>
          <JsonView value={span.attributes} label="Attributes" />
        </Section>
      ) : null}
      {span.events.length > 0 ? (
        <Section title={`Events (${span.events.length})`}>
          <JsonView value={span.events} label="Events" />
        </Section>
      ) : null}
    </>
  );
}
