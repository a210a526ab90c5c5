import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { processStoreUri } from './backend.ts';

const CLI = resolve(import.meta.dirname, '../../packages/cli/bin/trove.js');

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
}

/** Stops a spawned server with SIGTERM (a graceful shutdown) and waits until it has exited. */
export async function stopServer(server: ServerProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

/** Starts `trove server` as a real OS process (what `npm start` runs) and waits for /health; `env` adds variables. */
export async function spawnServer(
  args: string[],
  port: number,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  // Under TROVE_TEST_BACKEND=postgres a `--backend-store-uri <file>` becomes a PostgreSQL database of its own.
  args = [...args];
  const at = args.indexOf('--backend-store-uri');
  if (at >= 0 && at + 1 < args.length) args[at + 1] = await processStoreUri(args[at + 1]);
  const child = spawn(process.execPath, [CLI, 'server', '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${out}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, child, output: () => out };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become healthy:\n${out}`);
}
