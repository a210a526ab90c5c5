/** MLflow's ErrorCode names; the HTTP status of each is fixed by {@link httpStatusFor}. */
export const ERROR_CODES = [
  'INTERNAL_ERROR',
  'TEMPORARILY_UNAVAILABLE',
  'IO_ERROR',
  'BAD_REQUEST',
  'DEADLINE_EXCEEDED',
  'CANCELLED',
  'RESOURCE_EXHAUSTED',
  'ABORTED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'UNAUTHENTICATED',
  'INVALID_PARAMETER_VALUE',
  'ENDPOINT_NOT_FOUND',
  'MALFORMED_REQUEST',
  'INVALID_STATE',
  'PERMISSION_DENIED',
  'FEATURE_DISABLED',
  'CUSTOMER_UNAUTHORIZED',
  'REQUEST_LIMIT_EXCEEDED',
  'RESOURCE_CONFLICT',
  'NOT_IMPLEMENTED',
  'DATA_LOSS',
  'RESOURCE_ALREADY_EXISTS',
  'RESOURCE_DOES_NOT_EXIST',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * HTTP status of every code, as MLflow's ERROR_CODE_TO_HTTP_STATUS maps it; codes MLflow leaves
 * out of its table answer 500 there, and are listed here as 500 too. A Record over all codes, so
 * a new code cannot become a status by default: it does not compile until it has a line here.
 * One deliberate difference: MALFORMED_REQUEST is 500 in MLflow but only ever describes a client
 * mistake, and the client retries 5xx for minutes, so Trove answers 400.
 */
const STATUS: Record<ErrorCode, number> = {
  INTERNAL_ERROR: 500,
  TEMPORARILY_UNAVAILABLE: 503,
  IO_ERROR: 500,
  BAD_REQUEST: 400,
  DEADLINE_EXCEEDED: 504,
  CANCELLED: 499,
  RESOURCE_EXHAUSTED: 429,
  ABORTED: 409,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  UNAUTHENTICATED: 401,
  INVALID_PARAMETER_VALUE: 400,
  ENDPOINT_NOT_FOUND: 404,
  MALFORMED_REQUEST: 400,
  INVALID_STATE: 500,
  PERMISSION_DENIED: 403,
  FEATURE_DISABLED: 500,
  CUSTOMER_UNAUTHORIZED: 401,
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_CONFLICT: 409,
  NOT_IMPLEMENTED: 501,
  DATA_LOSS: 500,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
};

/** HTTP status for an error code (see {@link STATUS}). */
export function httpStatusFor(code: ErrorCode): number {
  return STATUS[code];
}

/** The one error type services throw; the server turns it into `{error_code, message}`. */
export class TroveError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'TroveError';
    this.code = code;
  }
  get status(): number {
    return httpStatusFor(this.code);
  }
}

export const invalidParam = (message: string) => new TroveError('INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string) => new TroveError('RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string) => new TroveError('RESOURCE_ALREADY_EXISTS', message);
