import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { TroveError } from '@trove/protocol';

/** An export request, compressed or not, may be at most this large (a batch of 512 spans is far below). */
export const OTLP_BODY_MAX = 64 * 1024 * 1024;

const DECODERS: Record<string, (b: Buffer, o: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  deflate: promisify(inflate),
};

/** Whether a Content-Encoding is one this reader takes (none, `identity`, `gzip`, `deflate`). */
export function supportedEncoding(contentEncoding: string | undefined): boolean {
  const e = (contentEncoding ?? 'identity').trim().toLowerCase();
  return e === 'identity' || e === '' || e in DECODERS;
}

/** Reads a request body, inflating it as `Content-Encoding` says (OTel exporters gzip theirs). */
export async function readOtlpBody(stream: Readable, contentEncoding: string | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > OTLP_BODY_MAX) throw tooLarge();
    chunks.push(Buffer.from(chunk));
  }
  const body = Buffer.concat(chunks);
  const decode = DECODERS[(contentEncoding ?? '').trim().toLowerCase()];
  if (!decode) return body;
  try {
    return await decode(body, { maxOutputLength: OTLP_BODY_MAX });
  } catch (e) {
    if (e instanceof RangeError) throw tooLarge();
    throw new TroveError('MALFORMED_REQUEST', `The body is not valid ${contentEncoding} data.`);
  }
}

const tooLarge = () =>
  new TroveError('RESOURCE_EXHAUSTED', `An OTLP export request may be at most ${OTLP_BODY_MAX} bytes, inflated.`);
