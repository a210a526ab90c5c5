/** The parts of a TanStack mutation result that say when it ran and how it ended. */
export interface MutationOutcome {
  error: unknown;
  /** When it was last started (0: never). */
  submittedAt: number;
}

/**
 * The error of whichever action ran last, or null. Several actions sharing one message box would
 * otherwise keep showing an old failure after another action has since worked.
 */
export function latestError(...outcomes: MutationOutcome[]): unknown {
  let latest: MutationOutcome | undefined;
  for (const o of outcomes) if (o.submittedAt > 0 && (!latest || o.submittedAt >= latest.submittedAt)) latest = o;
  return latest?.error ?? null;
}
