import { type ErrorCode, TroveError } from '@trove/protocol';

/**
 * The exit statuses a CI job can branch on (documented in `trove --help` and docs/cli.md).
 * `review wait` adds REJECTED and TIMED_OUT; commander's own usage errors exit with USAGE.
 */
export const EXIT = {
  OK: 0,
  USAGE: 1,
  NOT_FOUND: 2,
  AUTH: 3,
  REFUSED: 4,
  SERVER: 5,
  REJECTED: 6,
  TIMED_OUT: 7,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Shown under `trove --help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0  ok (review wait: approved)
  1  usage error or invalid input
  2  not found
  3  not authenticated or permission denied
  4  conflict, or refused by a review policy (review wait: cancelled, or approved but not applied)
  5  server or network error
  6  review wait: rejected
  7  review wait: timed out`;

/** A failure the CLI itself detects (a local file missing, a policy in the way), with its status. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

const BY_CODE: Record<ErrorCode, ExitCode> = {
  RESOURCE_DOES_NOT_EXIST: EXIT.NOT_FOUND,
  NOT_FOUND: EXIT.NOT_FOUND,
  ENDPOINT_NOT_FOUND: EXIT.NOT_FOUND,
  PERMISSION_DENIED: EXIT.AUTH,
  UNAUTHENTICATED: EXIT.AUTH,
  CUSTOMER_UNAUTHORIZED: EXIT.AUTH,
  RESOURCE_ALREADY_EXISTS: EXIT.REFUSED,
  ALREADY_EXISTS: EXIT.REFUSED,
  RESOURCE_CONFLICT: EXIT.REFUSED,
  INVALID_STATE: EXIT.REFUSED,
  ABORTED: EXIT.REFUSED,
  INVALID_PARAMETER_VALUE: EXIT.USAGE,
  BAD_REQUEST: EXIT.USAGE,
  MALFORMED_REQUEST: EXIT.USAGE,
  FEATURE_DISABLED: EXIT.USAGE,
  NOT_IMPLEMENTED: EXIT.USAGE,
  INTERNAL_ERROR: EXIT.SERVER,
  TEMPORARILY_UNAVAILABLE: EXIT.SERVER,
  IO_ERROR: EXIT.SERVER,
  DEADLINE_EXCEEDED: EXIT.SERVER,
  CANCELLED: EXIT.SERVER,
  RESOURCE_EXHAUSTED: EXIT.SERVER,
  REQUEST_LIMIT_EXCEEDED: EXIT.SERVER,
  DATA_LOSS: EXIT.SERVER,
};

/** The exit status for an error a command threw: a server's MLflow error code, or the CLI's own. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof TroveError) return BY_CODE[error.code] ?? EXIT.SERVER;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ENOENT') return EXIT.NOT_FOUND;
  if (errno === 'EACCES' || errno === 'EPERM') return EXIT.AUTH;
  return EXIT.SERVER;
}
