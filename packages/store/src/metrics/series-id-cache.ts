/**
 * Series ids by (run, key), so a write to series that exist skips the create-or-lock upsert and
 * locks them by id. Safe across replicas and restarts because a series row never changes its
 * (run, key) and ids are never reused: an entry can only be stale by its row being gone (the run
 * purged by gc), which the writer sees as a missing row, drops here, and creates through the
 * upsert. A run deleted and restored keeps its rows; a run purged and logged again is a new run id.
 */
export interface SeriesIdCache {
  get(runId: number, key: string): number | undefined;
  set(runId: number, key: string, id: number): void;
  delete(runId: number, key: string): void;
}

/** Bounded: past `capacity` entries the least recently used goes (a Map keeps insertion order). */
export function createSeriesIdCache(capacity = 100_000): SeriesIdCache {
  const ids = new Map<string, number>();
  const name = (runId: number, key: string) => `${runId}\u0000${key}`;
  return {
    get(runId, key) {
      const k = name(runId, key);
      const id = ids.get(k);
      if (id !== undefined) {
        ids.delete(k);
        ids.set(k, id);
      }
      return id;
    },
    set(runId, key, id) {
      const k = name(runId, key);
      ids.delete(k);
      ids.set(k, id);
      if (ids.size > capacity) ids.delete(ids.keys().next().value as string);
    },
    delete(runId, key) {
      ids.delete(name(runId, key));
    },
  };
}
