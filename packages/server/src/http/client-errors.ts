import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Errors Node's HTTP parser raises before a request reaches Fastify (an oversize URL or header,
 * a malformed request line), answered with MLflow's error envelope instead of Fastify's.
 */
export function mlflowClientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let body = { error_code: 'BAD_REQUEST', message: 'Malformed HTTP request.' };
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    body = { error_code: 'DEADLINE_EXCEEDED', message: 'The request was not received in time.' };
  } else if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    body = {
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'The request line and headers exceed the maximum size; send long arguments in a POST body.',
    };
  }
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(err);
}
