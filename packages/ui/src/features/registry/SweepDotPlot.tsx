import type { ModelHistory } from '@trove/protocol';
import { navigate } from '../../app/router.tsx';
import { formatNumber } from '../../lib/format.ts';

const W = 520;
const H = 56;
const PAD = 14;

/** The sweep's ranked runs as dots on the metric's axis, best on the left; this run larger, in the accent colour. */
export function SweepDotPlot({
  siblings,
  self,
  metric,
}: {
  siblings: ModelHistory.SweepSibling[];
  self: string;
  metric: string;
}) {
  const ranked = siblings.filter((s): s is ModelHistory.SweepSibling & { value: number } => s.value !== null);
  if (ranked.length === 0) return null;
  const first = ranked[0].value;
  const last = ranked[ranked.length - 1].value;
  const span = last - first || 1;
  const x = (v: number) => PAD + ((v - first) / span) * (W - 2 * PAD);
  const mine = ranked.find((s) => s.run_id === self);
  return (
    <svg
      className="sweep-plot"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-label={`${metric} of the sweep's runs, best first`}
    >
      <line x1={PAD} x2={W - PAD} y1={H / 2} y2={H / 2} className="sweep-axis" />
      <text x={PAD} y={H - 4} className="sweep-tick">
        {formatNumber(first)} (best)
      </text>
      <text x={W - PAD} y={H - 4} className="sweep-tick" textAnchor="end">
        {formatNumber(last)}
      </text>
      {ranked.map((s, i) =>
        s.run_id === self ? null : (
          // biome-ignore lint/a11y/useSemanticElements: an SVG dot; the runs are links in the list beside it too
          <circle
            key={s.run_id}
            role="link"
            tabIndex={-1}
            data-run-id={s.run_id}
            className="sweep-dot"
            cx={x(s.value)}
            cy={H / 2 + ((i % 3) - 1) * 6}
            r={4}
            onClick={() => navigate(`/runs/${s.run_id}`)}
          >
            <title>{`#${s.rank} ${s.run_name || s.run_id}: ${formatNumber(s.value)}`}</title>
          </circle>
        ),
      )}
      {mine ? (
        <circle className="sweep-dot self" data-run-id={mine.run_id} cx={x(mine.value)} cy={H / 2} r={7}>
          <title>{`This run, #${mine.rank}: ${formatNumber(mine.value)}`}</title>
        </circle>
      ) : null}
    </svg>
  );
}
