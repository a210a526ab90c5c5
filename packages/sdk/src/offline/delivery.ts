import { type KeyValue, type RunStatus, TroveError } from '@trove/protocol';
import type { TrackingClient } from '../tracking-client.ts';
import type { MetricInput, NestedLog } from '../types.ts';
import type { OfflineLog } from './offline-log.ts';
import { type OfflineRecord, toOfflineMetric } from './records.ts';

/** Statuses that, once the client's retries are spent, mean the server is not there rather than refusing. */
const UNAVAILABLE = new Set([502, 503, 504]);

/** Whether a failed call never reached a working server: no answer at all, or a gateway/unavailable status after every retry. */
export function isUnreachable(e: unknown): boolean {
  if (!(e instanceof TroveError)) return false;
  const status = (e as { httpStatus?: number }).httpStatus;
  return e.code === 'IO_ERROR' || (status !== undefined && UNAVAILABLE.has(status));
}

/**
 * Where a run's writes go: the server, or, once it could not be reached (or from the start, for
 * a run made offline), the offline log. It never goes back online within a run, so the log holds
 * every call from that point on in order and `trove sync` replays them as they were made.
 */
export class RunDelivery {
  constructor(
    private readonly client: TrackingClient,
    private readonly runId: string,
    private readonly log: OfflineLog | undefined,
    private isOffline: boolean,
  ) {
    if (isOffline && !log) throw new TroveError('INVALID_STATE', 'An offline run needs an offline log folder.');
  }

  /** True once writes go to the offline log. */
  get offline(): boolean {
    return this.isOffline;
  }

  logBatch(metrics: MetricInput[], params: KeyValue[] = [], tags: KeyValue[] = []): Promise<void> {
    return this.deliver(
      () => this.client.logBatch(this.runId, { metrics, params, tags }),
      async () => ({ op: 'log_batch', run_id: this.runId, metrics: metrics.map(toOfflineMetric), params, tags }),
    );
  }

  logNested(body: NestedLog): Promise<void> {
    return this.deliver(
      async () => {
        await this.client.logNested(this.runId, body);
      },
      async () => ({ op: 'log_nested', run_id: this.runId, body }),
    );
  }

  updateRun(status: RunStatus, endTime: number): Promise<void> {
    return this.deliver(
      async () => {
        await this.client.updateRun(this.runId, { status, endTime });
      },
      async () => ({ op: 'update_run', run_id: this.runId, status, end_time: endTime }),
    );
  }

  uploadArtifact(path: string, bytes: Uint8Array): Promise<void> {
    return this.deliver(
      () => this.client.uploadArtifact(this.runId, path, bytes),
      async () => ({ op: 'artifact', run_id: this.runId, path, blob: await this.log!.putBlob(bytes) }),
    );
  }

  private async deliver(online: () => Promise<void>, offline: () => Promise<OfflineRecord>): Promise<void> {
    if (!this.isOffline) {
      try {
        await online();
        return;
      } catch (e) {
        if (!this.log || !isUnreachable(e)) throw e;
        this.isOffline = true;
      }
    }
    await this.log!.append(this.runId, [await offline()]);
  }
}
