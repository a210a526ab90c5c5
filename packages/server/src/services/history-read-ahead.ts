/**
 * Pages of a paged get-history computed before they are asked for. A client walks a long history
 * page by page, asking for the next only once it has parsed the last (MLflow's client: 25,000
 * points a page), so without this the server idles while the client parses and the client idles
 * while the server reads and writes the next page. Kept: a few pages, a few seconds; one is used
 * once, and only if the series' version read before it was computed is still the series' version
 * at the request (see `MetricReader.seriesVersion`), so a point written meanwhile is never missed.
 */
export interface PageAhead<T> {
  /** The series' version, read before the page was. */
  version: Promise<string | undefined>;
  /** The page; undefined if computing it failed (the request computes it again). */
  page: Promise<T | undefined>;
}

export function createReadAhead<T>({ maxPages = 8, ttlMs = 10_000, now = () => Date.now() } = {}) {
  const pages = new Map<string, PageAhead<T> & { at: number }>();
  return {
    /** Starts computing the page under `key`: `version()` first, then `compute()`. */
    start(key: string, version: () => Promise<string | undefined>, compute: () => Promise<T>): void {
      // After the current reply has been handed to the socket: a synchronous store (SQLite) would
      // otherwise compute the next page before the current one leaves.
      const v = new Promise<void>((resolve) => setImmediate(resolve)).then(version);
      const page = v
        .then(() => compute())
        .then(
          (p) => p,
          () => undefined,
        );
      pages.delete(key);
      pages.set(key, { at: now(), version: v.catch(() => undefined), page });
      // Insertion order is age order: drop the oldest beyond the cap.
      for (const old of pages.keys()) {
        if (pages.size <= maxPages) break;
        pages.delete(old);
      }
    },
    /** The page under `key` if one was started and is fresh; it is handed out once. */
    take(key: string): PageAhead<T> | undefined {
      const found = pages.get(key);
      if (!found) return undefined;
      pages.delete(key);
      return now() - found.at <= ttlMs ? found : undefined;
    },
    get size(): number {
      return pages.size;
    },
  };
}
