/** The lineage graph (`GET /api/trove/v1/lineage`). */
import type { Lineage } from '@trove/protocol';
import { troveGet } from './client.ts';

export const getLineage = (
  q: { node: string; direction: string; depth: number; limit?: number },
  signal?: AbortSignal,
) => troveGet<Lineage.LineageResponse>('/lineage', q, signal);
