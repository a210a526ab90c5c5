import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import type { ArtifactStore } from '@trove/artifacts';

/** Streams `body` into `key` of the store, hashing it on the way; its SHA-256 (hex) and size. */
export async function copyWithChecksum(
  body: Readable,
  store: ArtifactStore,
  key: string,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  body.on('error', (e) => tap.destroy(e));
  body.pipe(tap);
  const { size } = await store.put(key, tap);
  return { sha256: hash.digest('hex'), size };
}

/** SHA-256 (hex) of everything a stream yields. */
export async function sha256Of(body: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
