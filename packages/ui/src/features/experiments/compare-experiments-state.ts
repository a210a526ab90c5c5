import { list, str } from '../../lib/url-state.ts';

/** `/compare-experiments?exp=1&exp=2&q=<filter>&sel=<run id>…` (MLflow's `compare-experiments`). */
export const compareExperimentsSpec = { exp: list(), q: str(), sel: list() };
