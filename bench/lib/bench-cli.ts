/**
 * What every feature benchmark (bench:lineage, bench:traces, bench:alerts) starts with: the backend
 * options, `--help`, a watchdog that stops a stuck run, and the machine line printed first.
 */
import os from 'node:os';
import { log } from './report.ts';
import { killAllChildren } from './server.ts';

/** Options every feature benchmark takes; spread into `parseArgs`'s options beside its own. */
export const BENCH_OPTIONS = {
  backend: { type: 'string', default: 'sqlite' },
  'pg-admin-uri': {
    type: 'string',
    default: process.env.TROVE_BENCH_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/test',
  },
  timeout: { type: 'string', default: '1800' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Prints `usage` and exits when --help was given. */
export function exitOnHelp(values: { help?: boolean }, usage: string): void {
  if (!values.help) return;
  console.log(usage);
  process.exit(0);
}

export type BenchMachine = { cpu: string; cores: number; memoryGiB: number; node: string };

/** Starts the watchdog, prints the machine and the command line; returns both for the results file. */
export function startBench(name: string, timeoutSeconds: number): { machine: BenchMachine; command: string } {
  const watchdog = setTimeout(() => {
    console.error(`bench:${name} still running after ${timeoutSeconds} s, stopping`);
    killAllChildren();
    process.exit(3);
  }, timeoutSeconds * 1000);
  watchdog.unref();
  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
  };
  const command = `npm run bench:${name}${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  log(
    `Trove ${name} benchmark — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
  );
  log(`command: ${command}; load average at start ${os.loadavg()[0].toFixed(2)}\n`);
  return { machine, command };
}
