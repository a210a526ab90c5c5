import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startNginx } from '../../test/support/nginx.ts';
import { type ChildServer, freePort, startTroveServer } from './server.ts';

/**
 * The two ways to run N Trove processes on one host against one PostgreSQL database:
 * `workers` = one `trove server --workers N` (node:cluster, one port), `nginx` = N separate
 * `trove server` processes behind nginx (the configuration of docs/deployment.md, the same code
 * the replica tests start: test/support/nginx.ts).
 */
export type TopologyMode = 'workers' | 'nginx';

export interface TopologyOptions {
  mode: TopologyMode;
  processes: number;
  storeUri: string;
  dataDir: string;
  /** `TROVE_DB_POOL_SIZE` of every process. */
  poolSize: number;
  /** nginx `keepalive` connections to the replicas (0: none, as the docs' configuration). */
  nginxKeepalive: number;
}

export interface Topology {
  url: string;
  /** Root pids: Trove processes (a cluster primary's workers are its children) and nginx. */
  trovePids: number[];
  nginxPids: number[];
  stop(): Promise<void>;
}

export async function startTopology(o: TopologyOptions): Promise<Topology> {
  const env = { TROVE_DB_POOL_SIZE: String(o.poolSize) };
  if (o.mode === 'workers') {
    const server = await startTroveServer({
      dataDir: o.dataDir,
      backendStoreUri: o.storeUri,
      serverArgs: ['--workers', String(o.processes)],
      env,
    });
    // /health answered from the first worker; give the others a moment (the warm-up follows).
    if (o.processes > 1) await new Promise((r) => setTimeout(r, 1000));
    return { url: server.url, trovePids: [server.pid], nginxPids: [], stop: server.stop };
  }
  const replicas: ChildServer[] = await Promise.all(
    Array.from({ length: o.processes }, () =>
      startTroveServer({ dataDir: o.dataDir, backendStoreUri: o.storeUri, env }),
    ),
  );
  const prefix = mkdtempSync(join(os.tmpdir(), 'trove-bench-nginx-'));
  const nginx = await startNginx(
    prefix,
    await freePort(),
    replicas.map((r) => r.url.replace('http://', '')),
    { keepalive: o.nginxKeepalive || undefined },
  );
  return {
    url: nginx.url,
    trovePids: replicas.map((r) => r.pid),
    nginxPids: [nginx.child.pid as number],
    async stop() {
      await nginx.stop();
      await Promise.all(replicas.map((r) => r.stop()));
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
