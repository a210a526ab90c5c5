import { chartPointsPerRun } from '../../lib/chart-points.ts';
import { flag, list, num, str } from '../../lib/url-state.ts';

/**
 * The compare page's URL: `?runs=<id>&runs=<id>&exp=<experiment>&metric=<key>&metric=<key>&diff=1&smooth=0.6`,
 * the line charts' axis options (`logx`, `logy`, `clip`: ignore outliers), run colours chosen on
 * the runs table (`color=<runId>:#rrggbb`),
 * the baseline run (`base`), and each chart's fields: parallel coordinates axes (`pc`) and
 * brushes (`brush=lo~hi~field`), log/linear choices (`pcs=log~field`), line colour field (`pcc`, `run` for run colours), scatter (`sx`, `sy`), contour (`cx`, `cy`, `cz`), box plot (`bg`, `bv`).
 * Empty chart fields mean "the page's default".
 */
export const compareSpec = {
  runs: list(),
  exp: str(),
  /** Charted metrics, one line chart each; none: the metric most runs have. */
  metric: list(),
  logx: flag(),
  logy: flag(),
  clip: flag(),
  color: list(),
  diff: flag(),
  smooth: num(0),
  base: str(),
  pc: list(),
  brush: list(),
  pcs: list(),
  pcc: str(),
  sx: str(),
  sy: str(),
  cx: str(),
  cy: str(),
  cz: str(),
  bg: str(),
  bv: str(),
};

/** The chart endpoint reads at most 100 runs (`CHART_MAX_RUNS` in @trove/protocol), so the page compares the first 100 asked for. */
export const MAX_COMPARED_RUNS = 100;

/** The runs the page compares for the URL's `runs`. */
export const comparedRunIds = (runs: readonly string[] | null): string[] => (runs ?? []).slice(0, MAX_COMPARED_RUNS);

/** Points per run of the compare page's overlaid chart: fewer when many runs share it. */
export const comparedChartPoints = chartPointsPerRun;
