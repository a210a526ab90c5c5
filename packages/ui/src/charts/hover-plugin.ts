/**
 * The line charts' hover: a tooltip listing the runs nearest the pointer's x (value there, sorted,
 * with swatch and name), and the nearest run's line highlighted (uPlot's series focus dims the
 * rest) through the shared run-highlight store, so its table row and its line in every other chart
 * light up too. The tooltip's rows are built once and rewritten in place on each move.
 */
import type uPlot from 'uplot';
import type { HoverRanker } from '../lib/chart-hover.ts';
import { formatNumber } from '../lib/format.ts';
import { highlightedRun, highlightRun, subscribeHighlight } from '../lib/run-highlight.ts';

/** Runs the tooltip lists at most (those nearest the pointer). */
export const TOOLTIP_ROWS = 10;

export interface HoverState {
  ranker: HoverRanker;
  /** uPlot series index of each hover series' main line. */
  seriesIndex: readonly number[];
  xLabel: string;
  formatX: (x: number) => string;
}

interface TipRow {
  row: HTMLDivElement;
  swatch: HTMLSpanElement;
  name: HTMLSpanElement;
  value: HTMLSpanElement;
}

function tipRow(parent: HTMLElement): TipRow {
  const row = document.createElement('div');
  row.className = 'chart-tip-row';
  const swatch = document.createElement('span');
  swatch.className = 'swatch';
  const name = document.createElement('span');
  name.className = 'chart-tip-name';
  const value = document.createElement('span');
  value.className = 'chart-tip-value mono';
  row.append(swatch, name, value);
  parent.append(row);
  return { row, swatch, name, value };
}

export function hoverPlugin(current: () => HoverState | null): uPlot.Plugin {
  let tip: HTMLDivElement;
  let head: HTMLDivElement;
  let more: HTMLDivElement;
  const rows: TipRow[] = [];
  let hovering = false;
  let unsubscribe = () => {};

  const focusHighlighted = (u: uPlot) => {
    const state = current();
    const runId = highlightedRun();
    let index: number | null = null;
    if (state && runId !== null) {
      const s = state.ranker.series.findIndex((x) => x.runId === runId);
      if (s >= 0) index = state.seriesIndex[s];
    }
    u.setSeries(index, { focus: true }, false);
    // Said on the chart's root too, for whoever reads the page (tests, assistive tools).
    u.root.dataset.highlightedRun = index === null ? '' : (runId ?? '');
  };

  const hide = () => {
    tip.style.display = 'none';
    if (hovering) {
      hovering = false;
      highlightRun(null);
    }
  };

  return {
    hooks: {
      init: (u) => {
        tip = document.createElement('div');
        tip.className = 'chart-tip';
        tip.setAttribute('role', 'tooltip');
        tip.style.display = 'none';
        head = document.createElement('div');
        head.className = 'chart-tip-head';
        tip.append(head);
        for (let i = 0; i < TOOLTIP_ROWS; i++) rows.push(tipRow(tip));
        more = document.createElement('div');
        more.className = 'chart-tip-more';
        tip.append(more);
        u.over.append(tip);
        unsubscribe = subscribeHighlight(() => focusHighlighted(u));
        u.over.addEventListener('mouseleave', hide);
      },
      setCursor: (u) => {
        const state = current();
        const { left, top } = u.cursor;
        if (!state || left === undefined || top === undefined || left < 0 || top < 0) return hide();
        const { ranker } = state;
        const x = u.posToVal(left, 'x');
        const slack = Math.abs(u.posToVal(left + 6, 'x') - x);
        ranker.rank(x, slack, top, (v) => u.valToPos(v, 'y'), TOOLTIP_ROWS);
        if (ranker.count === 0) return hide();
        const series = ranker.series;
        head.textContent = `${state.xLabel} ${state.formatX(ranker.steps[ranker.order[0]])}`;
        for (let i = 0; i < TOOLTIP_ROWS; i++) {
          const r = rows[i];
          if (i >= ranker.count) {
            r.row.style.display = 'none';
            continue;
          }
          const s = ranker.order[i];
          r.row.style.display = '';
          r.row.dataset.nearest = String(s === ranker.nearest);
          r.swatch.style.background = series[s].color;
          r.name.textContent = series[s].label;
          r.value.textContent = formatNumber(ranker.values[s]);
        }
        const hidden = ranker.matched - ranker.count;
        more.textContent = hidden > 0 ? `and ${hidden} more` : '';
        tip.style.display = '';
        // Beside the pointer, on the side with room.
        const width = u.over.clientWidth;
        const flip = left > width / 2;
        tip.style.left = flip ? '' : `${left + 14}px`;
        tip.style.right = flip ? `${width - left + 14}px` : '';
        tip.style.top = `${Math.max(0, top - 20)}px`;
        hovering = true;
        highlightRun(series[ranker.nearest].runId);
      },
      destroy: (u) => {
        unsubscribe();
        u.over.removeEventListener('mouseleave', hide);
        hide();
      },
    },
  };
}
