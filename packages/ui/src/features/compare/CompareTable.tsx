import { memo, useMemo, useRef } from 'react';
import type { Run } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { useHorizontalWindow } from '../../components/use-horizontal-window.ts';
import { formatNumber } from '../../lib/format.ts';
import { runName } from '../runs/run-values.ts';
import { baselineCell, type CompareRow } from './compare-rows.ts';
import './compare-table.css';

/** Column widths are fixed (`table-layout: fixed`), so the columns don't jump as the window moves. */
const KEY_WIDTH = 240;
const RUN_WIDTH = 180;

export interface CompareSections {
  params: CompareRow[];
  metrics: CompareRow[];
  tags: CompareRow[];
}

interface CompareTableProps {
  runs: readonly Run[];
  sections: CompareSections;
  diffOnly: boolean;
  /** Index of the baseline run in `runs`, -1 for none. */
  base: number;
}

/** The runs' columns in view: which render, and the spacers standing in for the others. */
interface RunWindow {
  indices: number[];
  padLeft: number;
  padRight: number;
}

/**
 * Params, latest metrics and tags side by side, one column per run. Only the run columns in or
 * near view render (100 runs × ~75 rows would be 7,600 cells, most off screen to the right);
 * `aria-colcount`/`aria-colindex` tell assistive technology where the rendered cells sit, and the
 * scroll region takes focus so the keyboard reaches every run. Memoized: the page re-renders on
 * every chart interaction (brushes and fields live in the URL), which leaves this table alone.
 */
export const CompareTable = memo(function CompareTable({ runs, sections, diffOnly, base }: CompareTableProps) {
  const scrollRef = useRef<HTMLElement>(null);
  const { first, last, padLeft, padRight, total } = useHorizontalWindow(scrollRef, {
    count: runs.length,
    widthOf: () => RUN_WIDTH,
    keyOf: (i) => runs[i]?.info.run_id ?? String(i),
    leading: KEY_WIDTH,
  });
  // The same window object while it stays put, so memoized rows skip rendering.
  const win = useMemo<RunWindow>(() => {
    const indices: number[] = [];
    for (let i = first; i >= 0 && i <= last && i < runs.length; i++) indices.push(i);
    return { indices, padLeft, padRight };
  }, [first, last, padLeft, padRight, runs.length]);
  const span = 1 + win.indices.length + (padLeft > 0 ? 1 : 0) + (padRight > 0 ? 1 : 0);
  const baseId = base >= 0 ? runs[base]?.info.run_id : undefined;
  const sectionProps = { win, span, diffOnly, base };

  return (
    <section
      className="compare-scroll"
      ref={scrollRef}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus so the keyboard can scroll it (and reach every run)
      tabIndex={0}
      aria-label={`Run comparison, ${runs.length} runs side by side (scrolls sideways)`}
    >
      <table
        className="data compare"
        aria-label="Run comparison"
        aria-colcount={runs.length + 1}
        style={{ width: `max(${KEY_WIDTH + total}px, 100%)` }}
      >
        <colgroup>
          <col style={{ width: KEY_WIDTH }} />
          {padLeft > 0 ? <col style={{ width: padLeft }} /> : null}
          {win.indices.map((i) => (
            <col key={i} style={{ width: RUN_WIDTH }} />
          ))}
          {padRight > 0 ? <col style={{ width: padRight }} /> : null}
        </colgroup>
        <thead>
          <tr>
            <th scope="col" className="compare-key" aria-colindex={1}>
              Run
            </th>
            {padLeft > 0 ? <Pad /> : null}
            {win.indices.map((i) => {
              const r = runs[i];
              const isBase = r.info.run_id === baseId;
              return (
                <th key={r.info.run_id} scope="col" aria-colindex={i + 2} data-baseline={isBase || undefined}>
                  {isBase ? <span className="badge">baseline</span> : null}{' '}
                  <Link to={`/experiments/${encodeURIComponent(r.info.experiment_id)}/runs/${r.info.run_id}`}>
                    {runName(r)}
                  </Link>{' '}
                  <StatusBadge status={r.info.status} />
                </th>
              );
            })}
            {padRight > 0 ? <Pad /> : null}
          </tr>
        </thead>
        <Section title="Parameters" rows={sections.params} {...sectionProps} />
        <Section title="Metrics (latest)" rows={sections.metrics} {...sectionProps} numeric />
        <Section title="Tags" rows={sections.tags} {...sectionProps} />
      </table>
    </section>
  );
});

/** A spacer cell holding the width of the run columns scrolled out of view. */
const Pad = () => <td className="col-pad" aria-hidden="true" />;

interface SectionProps {
  title: string;
  rows: CompareRow[];
  win: RunWindow;
  /** How many columns render, for the section row's colSpan. */
  span: number;
  diffOnly: boolean;
  base: number;
  numeric?: boolean;
}

function Section({ title, rows, win, span, diffOnly, base, numeric = false }: SectionProps) {
  const shown = diffOnly ? rows.filter((r) => r.differs) : rows;
  return (
    <tbody>
      <tr className="section-row">
        <th scope="colgroup" colSpan={span}>
          <span className="compare-section-title">
            {title} ({shown.length})
          </span>
        </th>
      </tr>
      {shown.map((r) => (
        <RowView key={r.key} row={r} win={win} base={base} numeric={numeric} />
      ))}
    </tbody>
  );
}

/** One key's row; renders again only when the window, the baseline or the row changes. */
const RowView = memo(function RowView({
  row,
  win,
  base,
  numeric,
}: {
  row: CompareRow;
  win: RunWindow;
  base: number;
  numeric: boolean;
}) {
  return (
    <tr className={row.differs ? 'differs' : undefined} data-key={row.key} data-differs={row.differs}>
      <th scope="row" className="mono compare-key" aria-colindex={1} style={{ fontWeight: 400 }}>
        {row.key}
        {row.differs ? <span className="visually-hidden"> (differs)</span> : null}
      </th>
      {win.padLeft > 0 ? <Pad /> : null}
      {win.indices.map((i) => {
        const c = base >= 0 ? baselineCell(row, base, i) : NO_BASELINE;
        return (
          <ValueCell
            key={i}
            value={row.values[i]}
            colIndex={i + 2}
            numeric={numeric}
            changed={c.changed}
            delta={c.delta}
          />
        );
      })}
      {win.padRight > 0 ? <Pad /> : null}
    </tr>
  );
});

const NO_BASELINE = { changed: false, delta: null };

interface ValueCellProps {
  value: string | undefined;
  colIndex: number;
  numeric: boolean;
  changed: boolean;
  delta: number | null;
}

/** One run's value; memoized on plain props, so moving the window renders only the cells entering it. */
const ValueCell = memo(function ValueCell({ value, colIndex, numeric, changed, delta }: ValueCellProps) {
  return (
    <td
      className={[numeric ? 'num' : '', changed ? 'changed' : ''].join(' ').trim() || undefined}
      aria-colindex={colIndex}
      title={value}
      data-changed={changed || undefined}
    >
      {value === undefined ? <span className="muted">—</span> : numeric ? formatNumber(value) : value}
      {delta !== null ? <span className="delta">{`${delta > 0 ? '+' : ''}${formatNumber(delta)}`}</span> : null}
      {changed ? <span className="visually-hidden"> (differs from baseline)</span> : null}
    </td>
  );
});
