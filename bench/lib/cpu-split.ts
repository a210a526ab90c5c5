import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * Where the machine's CPU went during a measurement, by group of processes (from /proc): the
 * Trove processes (each root pid and its descendants: cluster workers), PostgreSQL backends of the
 * bench's database, PostgreSQL's shared background processes (WAL writer, checkpointer,
 * autovacuum: shared with anything else on the cluster), nginx, this load generator, and the
 * rest of the machine. A process that exits between two snapshots loses its CPU to "others".
 */

const HZ = 100;

export interface CpuGroups {
  /** Root pids of Trove processes (cluster primaries or single servers). */
  trove: number[];
  /** Root pids of nginx masters. */
  nginx: number[];
  /** The bench's PostgreSQL database name: its backends are counted as `postgres`. */
  database: string;
}

interface ProcInfo {
  pid: number;
  ppid: number;
  jiffies: number;
  cmdline: string;
}

function readProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      out.push({ pid: Number(name), ppid: Number(f[1]), jiffies: Number(f[11]) + Number(f[12]), cmdline });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

function descendants(procs: ProcInfo[], roots: number[]): Set<number> {
  const set = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs)
      if (!set.has(p.pid) && set.has(p.ppid)) {
        set.add(p.pid);
        grew = true;
      }
  }
  return set;
}

export type Group = 'trove' | 'postgres' | 'postgresShared' | 'nginx' | 'loadGenerator' | 'others' | 'idle';
export const GROUPS: Group[] = ['trove', 'postgres', 'postgresShared', 'nginx', 'loadGenerator', 'others', 'idle'];

interface Snapshot {
  at: number;
  busy: number;
  idle: number;
  byPid: Map<number, { group: Group; jiffies: number }>;
  loadavg: number;
}

function snapshot(groups: CpuGroups): Snapshot {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu;
  const procs = readProcs();
  const trove = descendants(procs, groups.trove);
  const nginx = descendants(procs, groups.nginx);
  const byPid = new Map<number, { group: Group; jiffies: number }>();
  for (const p of procs) {
    let group: Group | undefined;
    if (p.pid === process.pid) group = 'loadGenerator';
    else if (trove.has(p.pid)) group = 'trove';
    else if (nginx.has(p.pid)) group = 'nginx';
    else if (p.cmdline.startsWith('postgres: ')) {
      // Backends: `postgres: [cluster: ]user database host(port) state`; background processes have no host.
      const backend = /^postgres: (?:\S+: )?\S+ (\S+) \S+\(\d+\)/.exec(p.cmdline);
      if (!backend) group = 'postgresShared';
      else if (backend[1] === groups.database) group = 'postgres';
    }
    if (group) byPid.set(p.pid, { group, jiffies: p.jiffies });
  }
  return {
    at: Date.now(),
    busy: user + nice + system + irq + softirq + steal,
    idle: idle + iowait,
    byPid,
    loadavg: os.loadavg()[0],
  };
}

export interface CpuSplit {
  seconds: number;
  cores: number;
  /** CPU-seconds per group; `others` = machine busy time not in any group; `idle` = unused. */
  cpuSeconds: Record<Group, number>;
  loadavgStart: number;
  loadavgEnd: number;
}

/** Starts watching; the returned function ends the window and returns the split. */
export function watchCpu(groups: CpuGroups): () => CpuSplit {
  const a = snapshot(groups);
  return () => {
    const b = snapshot(groups);
    const cpuSeconds = Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<Group, number>;
    let grouped = 0;
    for (const [pid, now] of b.byPid) {
      // A process started inside the window counts from zero.
      const before = a.byPid.get(pid)?.jiffies ?? 0;
      const used = Math.max(0, now.jiffies - before) / HZ;
      cpuSeconds[now.group] += used;
      grouped += used;
    }
    cpuSeconds.others = Math.max(0, (b.busy - a.busy) / HZ - grouped);
    cpuSeconds.idle = (b.idle - a.idle) / HZ;
    return {
      seconds: (b.at - a.at) / 1000,
      cores: os.cpus().length,
      cpuSeconds,
      loadavgStart: a.loadavg,
      loadavgEnd: b.loadavg,
    };
  };
}

/** `trove 48% · postgres 30% · …` as shares of the machine's capacity (seconds × cores). */
export function formatSplit(s: CpuSplit): string {
  const capacity = s.seconds * s.cores;
  const label: Record<Group, string> = {
    trove: 'trove',
    postgres: 'postgres',
    postgresShared: 'pg shared',
    nginx: 'nginx',
    loadGenerator: 'load gen',
    others: 'others',
    idle: 'idle',
  };
  return GROUPS.map((g) => `${label[g]} ${((100 * s.cpuSeconds[g]) / capacity).toFixed(0)}%`).join(' · ');
}
