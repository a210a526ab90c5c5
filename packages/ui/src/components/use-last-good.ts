import { useRef } from 'react';

/**
 * `data`, or while `keep` holds and there is none, the last `data` seen for the same `scope`:
 * a refused filter leaves the previous results on screen instead of an empty page. (TanStack's
 * `keepPreviousData` covers only the wait; once the new query fails its data is gone.)
 */
export function useLastGood<T>(data: T | undefined, keep: boolean, scope: string): T | undefined {
  const last = useRef<{ scope: string; data: T } | undefined>(undefined);
  if (data !== undefined) last.current = { scope, data };
  if (data !== undefined || !keep) return data;
  return last.current?.scope === scope ? last.current.data : undefined;
}
