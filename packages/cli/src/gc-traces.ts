import type { ArtifactStore } from '@trove/artifacts';
import {
  countExpiredTraces,
  experimentsWithTraces,
  expiryCondition,
  purgeTraces,
  reclaimSpace,
  type Store,
  selectExpiredTraces,
  type TraceRetention,
} from '@trove/store';

const BATCH = 1000;

/**
 * `trove gc --traces-older-than / --traces-keep`: removes expired traces experiment by
 * experiment, oldest first, in batches of one transaction each; the `traces.json` a client
 * uploaded through the proxy goes with its trace (before the rows, so an interrupted gc leaves
 * nothing behind that the next run would not find).
 */
export async function collectTraces(
  store: Store,
  artifacts: ArtifactStore,
  retention: TraceRetention,
  dry: boolean,
  proxiedKey: (uri: string) => string | undefined,
): Promise<number> {
  let total = 0;
  for (const experimentId of await experimentsWithTraces(store.db)) {
    const condition = await expiryCondition(store.db, experimentId, retention);
    if (!condition) continue;
    let removed = 0;
    if (dry) removed = await countExpiredTraces(store.db, experimentId, condition);
    else
      for (;;) {
        const batch = await selectExpiredTraces(store.db, experimentId, condition, BATCH);
        if (batch.length === 0) break;
        for (const t of batch) {
          const key =
            t.artifact_location === null ? undefined : proxiedKey(t.artifact_location)?.replace(/\/artifacts$/, '');
          // Only the trace's own directory, whatever a tag says: never an experiment's whole tree.
          if (key?.endsWith(`/traces/${t.trace_id}`)) await artifacts.delete(key);
        }
        removed += await purgeTraces(
          store,
          batch.map((t) => t.id),
        );
      }
    if (removed > 0)
      console.log(`${dry ? 'would remove' : 'removed'} ${removed} trace(s) of experiment ${experimentId}`);
    total += removed;
  }
  return total;
}

export async function vacuum(store: Store): Promise<void> {
  const r = await reclaimSpace(store);
  const mib = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MiB`;
  console.log(`Vacuumed: ${r.what} ${mib(r.beforeBytes)} → ${mib(r.afterBytes)}.`);
}
