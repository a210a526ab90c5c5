import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, parseServerConfig } from '@trove/server';
import { openStore } from '@trove/store';
import type { TestServer } from './server.ts';

export interface ArtifactTestServer extends TestServer {
  artifactsDir: string;
  /** A request whose path goes out byte for byte (fetch would resolve `..` and drop `#`). */
  raw(
    method: string,
    path: string,
    body?: string | Buffer,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Record<string, unknown>; text: string }>;
}

/**
 * `startServer` from ./server.ts plus access to the artifact directory and a byte-exact request
 * helper for hostile paths.
 */
export async function startArtifactServer(): Promise<ArtifactTestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trove-artifacts-http-'));
  const artifactsDir = join(dataDir, 'artifacts');
  const config = parseServerConfig({ port: 0, backendStoreUri: join(dataDir, 'trove.db'), artifactsDestination: artifactsDir, logLevel: 'silent' });
  const store = await openStore(config.backendStoreUri);
  const app = await createApp({ config, store, logger: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = new URL(address);

  const parse = (text: string) => {
    try {
      return text === '' ? {} : JSON.parse(text);
    } catch {
      return text;
    }
  };
  const call: TestServer['call'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(address + path, init);
    return { status: res.status, body: parse(await res.text()), headers: res.headers };
  };
  const raw: ArtifactTestServer['raw'] = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: Number(port), method, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: parse(text), headers: res.headers, text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  return {
    url: address,
    dataDir,
    artifactsDir,
    call,
    raw,
    async close() {
      await app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
