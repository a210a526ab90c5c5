/**
 * The JSON text each parsed request body came from, kept beside it (not copied) so that an error
 * message can quote a refused number as the client wrote it. Entries go with their bodies.
 */
const sources = new WeakMap<object, string>();

export function rememberBodySource<T>(body: T, text: string): T {
  if (body !== null && typeof body === 'object') sources.set(body, text);
  return body;
}

export function bodySource(body: unknown): string | undefined {
  return body !== null && typeof body === 'object' ? sources.get(body) : undefined;
}
