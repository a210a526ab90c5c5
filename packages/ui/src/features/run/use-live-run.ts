import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { appendLivePoints } from '../../charts/live-append.ts';
import { type LiveStatus, throttle, useLiveTopic } from '../../lib/live.ts';

/**
 * Keeps the run page current without polling (`run:<id>` events): a status change or new points
 * re-read the run (latest metrics, status) and its metric summaries, at most once a second; the
 * drawn charts append just the new steps (`appendLivePoints`).
 */
export function useLiveRun(runId: string): LiveStatus {
  const qc = useQueryClient();
  const reread = useMemo(
    () =>
      throttle(() => {
        void qc.invalidateQueries({ queryKey: ['run', runId] });
        void qc.invalidateQueries({ queryKey: ['metric-summaries', runId] });
      }, 1000),
    [qc, runId],
  );
  return useLiveTopic([`run:${runId}`], (e) => {
    if (e.name === 'metrics') {
      reread();
      appendLivePoints(qc, runId, (e.data as { max_steps?: Record<string, number | string> }).max_steps ?? {});
    } else if (e.name === 'run') reread();
    else if (e.name === 'resync') {
      reread();
      void qc.invalidateQueries({ queryKey: ['metric-chart'] });
    }
  });
}
