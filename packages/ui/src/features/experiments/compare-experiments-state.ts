import { list, sortList, str } from '../../lib/url-state.ts';

/**
 * `/compare-experiments?exp=1&exp=2&q=<filter>&sel=<run id>…` (MLflow's `compare-experiments`),
 * metric columns `col=metrics.<key>` (absent: the commonest metrics; `*`: all) and one sort
 * `sort=metrics.<key>:asc|desc` (absent: newest first).
 */
export const compareExperimentsSpec = { exp: list(), q: str(), sel: list(), col: list(), sort: sortList() };
