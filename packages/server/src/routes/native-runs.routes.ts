import { defineMessage, i64, obj, str } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

const RunModel = defineMessage({ path: str() });

/** A native log request: nested params, metrics and tags; default step and timestamp for bare metric values. */
const NativeLog = defineMessage({ params: obj(), metrics: obj(), tags: obj(), step: i64(), timestamp: i64() });

/** Trove's native run API (`/api/trove/v1/runs/...`): nested, typed metadata, metric min/max, a logged model's MLmodel. */
export function registerNativeRunRoutes(r: Router, { nativeLog, metricSummaries, modelPage }: Services): void {
  r.native('POST', '/runs/:run_id/log', NativeLog, async ({ workspace, params, input }) =>
    nativeLog.log(workspace, params.run_id, input),
  );
  r.native('GET', '/runs/:run_id/params', {}, async ({ workspace, params }) =>
    nativeLog.params(workspace, params.run_id),
  );
  r.native('GET', '/runs/:run_id/metric-summaries', {}, async ({ workspace, params }) =>
    metricSummaries.list(workspace, params.run_id),
  );
  // The artifacts browser's model view: a run-logged model's MLmodel, parsed like the version page's.
  r.native('GET', '/runs/:run_id/mlmodel', RunModel, async ({ workspace, params, input }) =>
    modelPage.forRunArtifact(workspace, params.run_id, input.path ?? ''),
  );
}
