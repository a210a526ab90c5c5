import { flag, list, num, str } from '../../lib/url-state.ts';

/**
 * The compare page's URL: `?runs=<id>&runs=<id>&exp=<experiment>&metric=<key>&diff=1&smooth=0.6`,
 * the baseline run (`base`), and each chart's fields: parallel coordinates axes (`pc`) and
 * brushes (`brush=lo~hi~field`), scatter (`sx`, `sy`), contour (`cx`, `cy`, `cz`), box plot (`bg`, `bv`).
 * Empty chart fields mean "the page's default".
 */
export const compareSpec = {
  runs: list(),
  exp: str(),
  metric: str(),
  diff: flag(),
  smooth: num(0),
  base: str(),
  pc: list(),
  brush: list(),
  sx: str(),
  sy: str(),
  cx: str(),
  cy: str(),
  cz: str(),
  bg: str(),
  bv: str(),
};
