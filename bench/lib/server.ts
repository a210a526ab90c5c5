import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every child we start, so the watchdog and exit handlers can stop them. */
const children = new Set<ChildProcess>();

export function killAllChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export interface Memory {
  rssMb: number;
  hwmMb: number;
}

/** VmRSS (resident now) and VmHWM (peak resident) of a process, from /proc/<pid>/status. */
export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) : Number.NaN;
  };
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** A port that was free a moment ago (the kernel picks it; we close and hand it to the child). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => ok(port));
    });
  });
}

export interface ChildServer {
  url: string;
  pid: number;
  /** The last lines the child printed (for error messages). */
  output(): string;
  memory(): Memory;
  /** SIGTERM (graceful; writes a CPU profile if one was requested), SIGKILL after 15 s. */
  stop(): Promise<void>;
}

function track(proc: ChildProcess): { output: () => string } {
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return { output: () => tail };
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((done) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return done();
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      proc.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      proc.kill('SIGTERM');
    });
}

async function waitForHealth(url: string, proc: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`server exited early (${proc.exitCode ?? proc.signalCode}):\n${output()}`);
    try {
      const res = await fetch(`${url}/health`);
      await res.text();
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not become healthy within ${timeoutMs} ms:\n${output()}`);
}

export interface TroveServerOptions {
  dataDir: string;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArgs?: string[];
  /** The metadata store (default: `<dataDir>/trove.db`, SQLite); a postgresql:// URI for PostgreSQL. */
  backendStoreUri?: string;
  /** Extra `trove server` flags, e.g. ['--app-name', 'basic-auth']. */
  serverArgs?: string[];
  /** Extra environment, e.g. TROVE_ADMIN_USERNAME / TROVE_ADMIN_PASSWORD. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts the real CLI (`node packages/cli/bin/trove.js server …`) as a child process on a free
 * loopback port and waits for /health, so the server has its own event loop and its own RSS.
 */
export async function startTroveServer({
  dataDir,
  nodeArgs = [],
  backendStoreUri,
  serverArgs = [],
  env = {},
}: TroveServerOptions): Promise<ChildServer> {
  const port = await freePort();
  const args = [
    ...nodeArgs,
    join(REPO_ROOT, 'packages/cli/bin/trove.js'),
    'server',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--backend-store-uri',
    backendStoreUri ?? join(dataDir, 'trove.db'),
    '--artifacts-destination',
    join(dataDir, 'artifacts'),
    '--log-level',
    'warn',
    ...serverArgs,
  ];
  const proc = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', ...env },
  });
  const { output } = track(proc);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, proc, output);
  return { url, pid: proc.pid as number, output, memory: () => readMemory(proc.pid as number), stop: stopper(proc) };
}

/** The minimal `node:http` server of bench/lib/echo-server.ts, in its own process (same tsx loader as Trove). */
export async function startEchoServer(): Promise<ChildServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench/lib/echo-server.ts')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output } = track(proc);
  const port = await new Promise<number>((ok, fail) => {
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const m = /listening (\d+)/.exec(buf);
      if (m) {
        proc.stdout?.off('data', onData);
        ok(Number(m[1]));
      }
    };
    proc.stdout?.on('data', onData);
    proc.once('exit', (code) => fail(new Error(`echo server exited (${code}): ${output()}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return { url, pid: proc.pid as number, output, memory: () => readMemory(proc.pid as number), stop: stopper(proc) };
}
