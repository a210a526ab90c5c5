import { ERROR_CODES, type ErrorCode, parseJson, TroveError } from '@trove/protocol';

/** The code MLflow's client infers from an error status whose body is not a JSON error (reference §2.2). */
const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'ENDPOINT_NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL_ERROR',
  501: 'NOT_IMPLEMENTED',
  503: 'TEMPORARILY_UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const KNOWN = new Set<string>(ERROR_CODES);

/** The HTTP status an SDK error came from, kept beside the code (which fixes `TroveError.status`). */
export interface HttpErrorDetails {
  httpStatus?: number;
  method: string;
  url: string;
}

/**
 * Turns a failed response into the `TroveError` the server meant: `{error_code, message}` bodies
 * keep their code (an unknown code becomes INTERNAL_ERROR); other bodies map by status.
 */
export function errorFromResponse(status: number, bodyText: string, method: string, url: string): TroveError {
  let code: ErrorCode | undefined;
  let message: string | undefined;
  try {
    const body = parseJson(bodyText) as { error_code?: unknown; message?: unknown } | null;
    if (body !== null && typeof body === 'object' && body.error_code !== undefined) {
      if (typeof body.error_code === 'string')
        code = KNOWN.has(body.error_code) ? (body.error_code as ErrorCode) : 'INTERNAL_ERROR';
      else if (typeof body.error_code === 'number') code = CODE_FOR_STATUS[body.error_code] ?? 'INTERNAL_ERROR';
      if (typeof body.message === 'string') message = body.message;
    }
  } catch {
    // not JSON: fall through to the status mapping
  }
  code ??= CODE_FOR_STATUS[status] ?? 'INTERNAL_ERROR';
  message ??= `HTTP ${status} from ${method} ${redact(url)}${bodyText ? `: ${bodyText.slice(0, 300)}` : ''}`;
  return withDetails(new TroveError(code, message), { httpStatus: status, method, url: redact(url) });
}

/** A request that got no HTTP answer (refused, reset, timed out) after every attempt. */
export function networkError(cause: unknown, method: string, url: string, attempts: number): TroveError {
  const reason =
    cause instanceof Error
      ? cause.cause instanceof Error
        ? `${cause.message}: ${cause.cause.message}`
        : cause.message
      : String(cause);
  const err = new TroveError('IO_ERROR', `${method} ${redact(url)} failed after ${attempts} attempt(s): ${reason}`);
  err.cause = cause;
  return withDetails(err, { method, url: redact(url) });
}

function withDetails(err: TroveError, details: HttpErrorDetails): TroveError {
  return Object.assign(err, details);
}

/** Query strings can carry run ids and filters but never secrets; the base URL may carry credentials. */
function redact(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}
