/** One page of a paginated listing. */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/**
 * Walks a paginated endpoint: calls `fetchPage` with each `next_page_token` until there is none
 * (an empty token also ends it) and yields every item.
 *
 * @example
 * for await (const run of paginate((token) => client.searchRuns({ experimentIds: ['1'], pageToken: token }).then((p) => ({ items: p.runs, nextPageToken: p.nextPageToken })))) console.log(run.info.run_id);
 */
export async function* paginate<T>(
  fetchPage: (pageToken: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    yield* page.items;
    token = page.nextPageToken || undefined;
    // A server that hands back a token it already gave would loop forever.
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`Pagination repeated page token '${token.slice(0, 40)}'.`);
      seen.add(token);
    }
  } while (token !== undefined);
}

/**
 * Collects an async iterable into an array (`Array.fromAsync` for Node 20).
 *
 * @example
 * const runs = await collect(client.iterateRuns({ experimentIds: ['1'] }));
 */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
