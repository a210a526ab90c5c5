import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The nginx binary (Debian's package path unless `TROVE_NGINX` names another). */
export const NGINX = process.env.TROVE_NGINX ?? '/usr/sbin/nginx';

export interface NginxOptions {
  /** Idle connections to the replicas each nginx worker keeps open (`keepalive`); none by default, as in the docs. */
  keepalive?: number;
  /** nginx worker processes (default 1). */
  workers?: number;
}

/**
 * The nginx configuration of docs/deployment.md for `upstreams` on loopback, with every path
 * nginx writes (logs, pid, request/response temp files) inside `prefix`.
 */
export function nginxConfig(
  prefix: string,
  listenPort: number,
  upstreams: string[],
  { keepalive, workers = 1 }: NginxOptions = {},
): string {
  const asRoot = process.getuid?.() === 0 ? 'user root root;\n' : '';
  return `${asRoot}worker_processes ${workers};
error_log ${prefix}/error.log warn;
events { worker_connections 1024; }
http {
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/tmp/client_body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;

  # One request id from the edge to the replica's log lines.
  map $http_x_request_id $trove_request_id {
    default $http_x_request_id;
    ""      $request_id;
  }

  upstream trove {
${keepalive ? `    keepalive ${keepalive};\n` : ''}${upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=2s;`).join('\n')}
  }

  server {
    listen 127.0.0.1:${listenPort};
    # Artifacts have no size limit and stream through to the replica (no disk spooling).
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_buffering off;

    location / {
      proxy_pass http://trove;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-Id $trove_request_id;
      # A replica that refuses connections, dies or answers 502/503 (draining) is skipped.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_read_timeout 600s;
      proxy_send_timeout 600s;
    }
  }
}
`;
}

export interface Nginx {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
  errorLog(): string;
}

/** Runs nginx in the foreground as a child process and waits until it answers. */
export async function startNginx(
  prefix: string,
  port: number,
  upstreams: string[],
  options: NginxOptions = {},
): Promise<Nginx> {
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, nginxConfig(prefix, port, upstreams, options));
  const child = spawn(
    NGINX,
    ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log'), '-g', `daemon off; pid ${prefix}/nginx.pid;`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const errorLog = () => {
    try {
      return readFileSync(join(prefix, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${out}\n${errorLog()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    errorLog,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        // QUIT: graceful stop of master and workers.
        child.kill('SIGQUIT');
      }),
  };
}
