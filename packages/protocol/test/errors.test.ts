import { describe, expect, it } from 'vitest';
import { ERROR_CODES, httpStatusFor, TroveError } from '../src/errors.ts';

// MLflow 2.17's ERROR_CODE_TO_HTTP_STATUS (mlflow/exceptions.py); codes missing there are 500
// (MlflowException.get_http_status_code's default).
const MLFLOW: Record<string, number> = {
  INTERNAL_ERROR: 500,
  INVALID_STATE: 500,
  DATA_LOSS: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  REQUEST_LIMIT_EXCEEDED: 429,
  CANCELLED: 499,
  RESOURCE_EXHAUSTED: 429,
  ABORTED: 409,
  RESOURCE_CONFLICT: 409,
  ALREADY_EXISTS: 409,
  NOT_FOUND: 404,
  ENDPOINT_NOT_FOUND: 404,
  RESOURCE_DOES_NOT_EXIST: 404,
  PERMISSION_DENIED: 403,
  CUSTOMER_UNAUTHORIZED: 401,
  UNAUTHENTICATED: 401,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_PARAMETER_VALUE: 400,
};
/** Where Trove answers otherwise on purpose (see errors.ts). */
const TROVE_DIFFERS: Record<string, number> = { MALFORMED_REQUEST: 400 };

describe('error code → HTTP status', () => {
  it.each([...ERROR_CODES])('%s has MLflow’s status (or the documented difference)', (code) => {
    const expected = TROVE_DIFFERS[code] ?? MLFLOW[code] ?? 500;
    expect(httpStatusFor(code)).toBe(expected);
    expect(new TroveError(code, 'x').status).toBe(expected);
  });

  it('gives every code an explicit HTTP status in the 4xx/5xx range', () => {
    for (const code of ERROR_CODES)
      expect(httpStatusFor(code), code).toSatisfy((s: number) => Number.isInteger(s) && s >= 400 && s < 600);
  });
});
