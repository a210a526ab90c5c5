import { num, oneOf, str } from '../../lib/url-state.ts';

/**
 * The lineage page's URL: `?node=<id>&depth=3&direction=both`, the selected node (`sel`) and the
 * ends of a highlighted path (`from`, `to`).
 */
export const lineageSpec = {
  node: str(),
  depth: num(3),
  direction: oneOf(['both', 'up', 'down'] as const, 'both'),
  sel: str(),
  from: str(),
  to: str(),
};

export const clampDepth = (d: number) => Math.min(10, Math.max(1, Math.round(d)));
