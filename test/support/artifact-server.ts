import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { parseBody, startServer, type TestServer } from './server.ts';

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

/** `startServer` plus the artifact directory and a byte-exact request helper for hostile paths. */
export async function startArtifactServer(): Promise<ArtifactTestServer> {
  const server = await startServer();
  const { port } = new URL(server.url);
  const raw: ArtifactTestServer['raw'] = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: Number(port), method, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: parseBody(text), headers: res.headers, text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return { ...server, artifactsDir: join(server.dataDir, 'artifacts'), raw };
}
