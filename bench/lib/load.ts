import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * How busy the machine was while we measured, and how much of that was us. Other processes
 * (or a noisy hypervisor: "steal") on a 2-core machine move every number, so the run records it.
 */
interface Snapshot {
  at: number;
  /** Machine-wide jiffies from /proc/stat's "cpu" line. */
  busy: number;
  idle: number;
  steal: number;
  /** This process plus its reaped children (server and echo children), /proc/self/stat. */
  ours: number;
  loadavg: number[];
}

const HZ = 100;

function cpuOfPid(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return f[11] + f[12];
  } catch {
    return 0;
  }
}

let pgBackendPrefix: string | undefined;

/**
 * `--backend postgres`: also count as ours the CPU of PostgreSQL backend processes serving the
 * bench's own databases (process title `postgres: [<cluster>: ]<user> <database> …` with a database name
 * starting with `prefix`). A backend that exits between two snapshots loses its CPU (counted as
 * "others"); PostgreSQL's shared background processes (WAL writer, checkpointer) stay "others".
 */
export function countPostgresBackends(prefix: string): void {
  pgBackendPrefix = prefix;
}

function pgBackendsCpu(): number {
  if (!pgBackendPrefix) return 0;
  let sum = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const m = /^postgres: (?:[^ ]+: )?\S+ (\S+) /.exec(cmd);
      if (m?.[1].startsWith(pgBackendPrefix)) sum += cpuOfPid(Number(name));
    } catch {
      /* gone */
    }
  }
  return sum;
}

function snapshot(pids: number[]): Snapshot {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu;
  const self = readFileSync('/proc/self/stat', 'utf8');
  const fields = self
    .slice(self.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // After the command name: field 14 (utime) is index 11 here; then stime, cutime, cstime.
  const ours =
    fields[11] +
    fields[12] +
    fields[13] +
    fields[14] +
    pids.reduce((sum, pid) => sum + cpuOfPid(pid), 0) +
    pgBackendsCpu();
  return {
    at: Date.now(),
    busy: user + nice + system + irq + softirq,
    idle: idle + iowait,
    steal,
    ours,
    loadavg: os.loadavg(),
  };
}

export interface LoadReport {
  seconds: number;
  cores: number;
  /** CPU-seconds the whole machine was busy (all processes, kernel included). */
  busyCpuSeconds: number;
  /** CPU-seconds used by the bench process and its children. */
  oursCpuSeconds: number;
  /** busy − ours: other processes on the machine during the run. */
  othersCpuSeconds: number;
  stealCpuSeconds: number;
  loadavgStart: number[];
  loadavgEnd: number[];
}

/** `pids`: live children (not yet reaped) whose CPU counts as ours, e.g. the server under test. */
export function startLoadWatch(pids: number[] = []): () => LoadReport {
  const a = snapshot(pids);
  return () => {
    const b = snapshot(pids);
    const busy = (b.busy - a.busy) / HZ;
    const ours = (b.ours - a.ours) / HZ;
    return {
      seconds: (b.at - a.at) / 1000,
      cores: os.cpus().length,
      busyCpuSeconds: busy,
      oursCpuSeconds: ours,
      othersCpuSeconds: Math.max(0, busy - ours),
      stealCpuSeconds: (b.steal - a.steal) / HZ,
      loadavgStart: a.loadavg,
      loadavgEnd: b.loadavg,
    };
  };
}

export function formatLoad(l: LoadReport): string {
  const capacity = l.seconds * l.cores;
  const pct = (x: number) => `${((100 * x) / capacity).toFixed(0)}%`;
  return `machine during the run (${l.seconds.toFixed(0)} s × ${l.cores} cores): busy ${pct(l.busyCpuSeconds)}, of which bench+server${pgBackendPrefix ? '+its PostgreSQL backends' : ''} ${pct(l.oursCpuSeconds)}, other processes ${pct(l.othersCpuSeconds)}; steal ${pct(l.stealCpuSeconds)}; load average ${l.loadavgStart[0].toFixed(2)} at start, ${l.loadavgEnd[0].toFixed(2)} at end`;
}

/** Short form for a per-benchmark line. */
export function shortLoad(l: LoadReport): string {
  const capacity = l.seconds * l.cores;
  return `others ${((100 * l.othersCpuSeconds) / capacity).toFixed(0)}%, steal ${((100 * l.stealCpuSeconds) / capacity).toFixed(0)}%`;
}
