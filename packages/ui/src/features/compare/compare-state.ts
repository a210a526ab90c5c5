import { flag, list, num, str } from '../../lib/url-state.ts';

/** The compare page's URL: `?runs=<id>&runs=<id>&exp=<experiment>&metric=<key>&diff=1&smooth=0.6`. */
export const compareSpec = { runs: list(), exp: str(), metric: str(), diff: flag(), smooth: num(0) };
