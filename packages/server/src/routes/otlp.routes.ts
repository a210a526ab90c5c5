import { invalidParam } from '@trove/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Router } from '../http/router.ts';
import { CONTENT_TYPES, decodeExportRequest, encodeExportResponse, encodingOf } from '../otlp/otlp-codec.ts';
import { readOtlpBody, supportedEncoding } from '../otlp/request-body.ts';
import type { Services } from '../services/index.ts';

/** The header MLflow's OTLP endpoint reads the target experiment from. */
export const EXPERIMENT_HEADER = 'x-mlflow-experiment-id';

const experimentOf = (req: FastifyRequest) => {
  const v = req.headers[EXPERIMENT_HEADER];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
};

/**
 * HTTP's answer to a body the server does not take: 415. OTLP exporters do not retry it (only
 * 429, 502, 503 and 504 are retryable), so the spans are dropped with the message logged.
 */
function unsupported(reply: FastifyReply, message: string) {
  return reply.code(415).type('application/json').send({ error_code: 'INVALID_PARAMETER_VALUE', message });
}

/** OpenTelemetry's OTLP/HTTP trace export (`POST /v1/traces`), as MLflow 3's server takes it. */
export function registerOtlpRoutes(r: Router, { otlp }: Services): void {
  r.raw(
    'POST',
    '/v1/traces',
    async (req, reply, ws) => {
      const experimentId = experimentOf(req);
      if (experimentId === undefined)
        throw invalidParam(`Missing header '${EXPERIMENT_HEADER}': the experiment the spans are logged to.`);
      const encoding = encodingOf(req.headers['content-type']);
      if (encoding === undefined)
        return unsupported(
          reply,
          `Unsupported Content-Type '${req.headers['content-type'] ?? ''}': send application/x-protobuf or application/json.`,
        );
      if (!supportedEncoding(req.headers['content-encoding']))
        return unsupported(
          reply,
          `Unsupported Content-Encoding '${req.headers['content-encoding']}': use gzip or none.`,
        );
      const body = await readOtlpBody(req.raw, req.headers['content-encoding']);
      const result = await otlp.ingest(ws, experimentId, decodeExportRequest(body, encoding));
      return reply
        .code(200)
        .header('Content-Type', CONTENT_TYPES[encoding])
        .send(encodeExportResponse(result.rejected, encoding));
    },
    { api: 'root', body: 'stream', input: (req) => ({ experiment_id: experimentOf(req) }) },
  );
}
