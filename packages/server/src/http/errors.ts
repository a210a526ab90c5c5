import { type ErrorCode, httpStatusFor, LIMITS, TroveError } from '@trove/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';

/** Fastify's own client-side failures, restated as MLflow error codes (and statuses). */
const FASTIFY_CODES: Record<string, { code: ErrorCode; status?: number; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'INVALID_PARAMETER_VALUE',
    status: 413,
    message: `Request body exceeds the limit of ${LIMITS.jsonBodyBytes} bytes.`,
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'INVALID_PARAMETER_VALUE',
    message: 'Bad Request. Content-Type must be application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MALFORMED_REQUEST' },
  FST_ERR_BAD_URL: { code: 'INVALID_PARAMETER_VALUE', message: 'Malformed URL.' },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'BAD_REQUEST' },
};

/** One error handler: TroveError → its code; known client faults → 4xx; anything else → logged 500. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | TroveError, request, reply) => {
    let code: ErrorCode;
    let status: number;
    let message = error.message;
    if (error instanceof TroveError) {
      code = error.code;
      status = error.status;
    } else if (error.code && FASTIFY_CODES[error.code]) {
      const known = FASTIFY_CODES[error.code];
      code = known.code;
      status = known.status ?? httpStatusFor(code);
      message = known.message ?? message;
    } else if (
      error instanceof SyntaxError ||
      (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    ) {
      code = error instanceof SyntaxError ? 'MALFORMED_REQUEST' : 'BAD_REQUEST';
      status = error.statusCode && error.statusCode !== 500 ? error.statusCode : 400;
    } else {
      request.log.error({ err: error }, 'unhandled error');
      code = 'INTERNAL_ERROR';
      status = 500;
      message = 'Internal server error.';
    }
    // A client other than the UI is told how to authenticate (the UI shows its own sign-in page
    // instead of the browser's password dialog).
    if (code === 'UNAUTHENTICATED' && request.headers['x-trove-ui'] === undefined)
      reply.header('WWW-Authenticate', 'Basic realm="trove"');
    reply.status(status).type('application/json').send({ error_code: code, message });
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .type('application/json')
      .send({
        error_code: 'ENDPOINT_NOT_FOUND',
        message: `No endpoint ${request.method} ${request.url.split('?')[0]}`,
      });
  });
}
