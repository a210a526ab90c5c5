import type { Review } from '@trove/protocol';
import type { ReviewClient } from '@trove/sdk';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { printJson } from './output.ts';

/** How a wait for a review ended. */
export type WaitOutcome = 'approved' | 'rejected' | 'cancelled' | 'failed' | 'timed_out';

export const OUTCOME_EXIT: Record<WaitOutcome, ExitCode> = {
  approved: EXIT.OK,
  rejected: EXIT.REJECTED,
  timed_out: EXIT.TIMED_OUT,
  // Withdrawn, or approved but the change could not be applied (the version was deleted, …).
  cancelled: EXIT.REFUSED,
  failed: EXIT.REFUSED,
};

const OPEN: readonly string[] = ['pending', 'applying'];

/**
 * Polls a review request until it is decided or `timeoutMs` passes. Polling (not the event
 * stream) because one GET per interval survives proxies that cut long-lived connections, and a
 * CI job's wait is measured in minutes.
 */
export async function waitForReview(
  reviews: ReviewClient,
  model: string,
  requestId: string,
  timeoutMs: number,
  intervalMs: number,
): Promise<{ outcome: WaitOutcome; request: Review.ReviewRequest }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const request = await reviews.getRequest(model, requestId);
    if (!OPEN.includes(request.status)) return { outcome: request.status as WaitOutcome, request };
    const left = deadline - Date.now();
    if (left <= 0) return { outcome: 'timed_out', request };
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, left)));
  }
}

/** One line about a request for people. */
export function describeRequest(r: Review.ReviewRequest): string {
  const what =
    r.action === 'transition'
      ? `stage ${r.stage}`
      : r.action === 'set_alias'
        ? `alias @${r.alias}`
        : `removal of alias @${r.alias}`;
  return `Review request ${r.request_id}: ${r.name} version ${r.version} → ${what}: ${r.status} (${r.approvals.length}/${r.required_approvals} approvals)`;
}

/** Prints how a wait ended and sets the exit status a CI job branches on. */
export function reportWait(result: { outcome: WaitOutcome; request: Review.ReviewRequest }, json?: boolean): void {
  if (json) printJson(result);
  else {
    process.stdout.write(`${describeRequest(result.request)}\n`);
    if (result.outcome === 'timed_out') process.stdout.write('Timed out waiting for a decision.\n');
    if (result.request.status_message) process.stdout.write(`${result.request.status_message}\n`);
  }
  process.exitCode = OUTCOME_EXIT[result.outcome];
}
