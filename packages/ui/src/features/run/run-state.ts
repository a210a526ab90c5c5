import { flag, list, num, oneOf, optNum, str } from '../../lib/url-state.ts';

export const RUN_TABS = [
  ['overview', 'Overview'],
  ['params', 'Parameters'],
  ['metrics', 'Metrics'],
  ['charts', 'Charts'],
  ['images', 'Images'],
  ['artifacts', 'Artifacts'],
  ['tags', 'Tags'],
] as const;

export type RunTab = (typeof RUN_TABS)[number][0];

/** The run page's URL state: the tab and each tab's own controls. */
export const runSpec = {
  tab: oneOf(
    RUN_TABS.map(([t]) => t),
    'overview',
  ),
  pq: str(),
  m: list(),
  from: optNum(),
  to: optNum(),
  smooth: num(0),
  x: oneOf(['step', 'relative', 'wall'] as const, 'step'),
  log: flag(),
  path: str(),
  /** The images tab's step. */
  istep: optNum(),
};
