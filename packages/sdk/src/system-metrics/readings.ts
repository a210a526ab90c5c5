/**
 * System readings as MLflow 2.17's `mlflow/system_metrics` names them (without the `system/`
 * prefix): pure functions from what the OS reports (os.cpus(), memory totals, statfs,
 * /proc/net/dev, nvidia-smi CSV) to `{ metric name: value }`. Units follow MLflow: megabytes are
 * 10^6 bytes.
 */

/** Readings of one sample, keyed by MLflow's metric name (`cpu_utilization_percentage`, `gpu_0_…`). */
export type Readings = Record<string, number>;

/** CPU time summed over every core, in ms: what two samples' difference turns into a utilisation. */
export interface CpuTimes {
  idle: number;
  total: number;
}

/** Sums `os.cpus()` times over all cores. */
export function cpuTimesOf(
  cpus: readonly { times: Record<'user' | 'nice' | 'sys' | 'idle' | 'irq', number> }[],
): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

/** Busy share of the CPU time between two samples, in percent (psutil's `cpu_percent()` over all cores). */
export function cpuReadings(before: CpuTimes, after: CpuTimes): Readings {
  const total = after.total - before.total;
  const busy = total - (after.idle - before.idle);
  return { cpu_utilization_percentage: total > 0 ? clampPercent((busy / total) * 100) : 0 };
}

/** Memory in use (total − available, as psutil's `virtual_memory().used` approximates it) in MB and percent. */
export function memoryReadings(totalBytes: number, availableBytes: number): Readings {
  const used = Math.max(0, totalBytes - availableBytes);
  return {
    system_memory_usage_megabytes: used / 1e6,
    system_memory_usage_percentage: totalBytes > 0 ? (used / totalBytes) * 100 : 0,
  };
}

/** The fields of `fs.statfs` a disk reading needs (block size and block counts). */
export interface StatFs {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

/** Disk use of a volume as psutil's `disk_usage` computes it: used = (blocks − free) × size, percent of used + available. */
export function diskReadings(s: StatFs): Readings {
  const used = (s.blocks - s.bfree) * s.bsize;
  const available = s.bavail * s.bsize;
  return {
    disk_usage_percentage: used + available > 0 ? (used / (used + available)) * 100 : 0,
    disk_usage_megabytes: used / 1e6,
    disk_available_megabytes: available / 1e6,
  };
}

/** Bytes received and sent, summed over every interface (psutil's `net_io_counters()` counts loopback too). */
export interface NetCounters {
  received: number;
  sent: number;
}

/** Parses Linux's `/proc/net/dev`; undefined when the text is not in its format. */
export function parseProcNetDev(text: string): NetCounters | undefined {
  let received = 0;
  let sent = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.includes('|')) continue;
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    // Receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes …
    if (fields.length < 16 || fields.some((n) => !Number.isFinite(n))) continue;
    received += fields[0];
    sent += fields[8];
    found = true;
  }
  return found ? { received, sent } : undefined;
}

/** Network traffic since the sampler started, in MB (MLflow logs the running total, not a rate). */
export function networkReadings(start: NetCounters, now: NetCounters): Readings {
  return {
    network_receive_megabytes: (now.received - start.received) / 1e6,
    network_transmit_megabytes: (now.sent - start.sent) / 1e6,
  };
}

/** The nvidia-smi query the GPU readings parse, in this column order (`--format=csv,noheader,nounits`). */
export const NVIDIA_SMI_FIELDS = [
  'index',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'power.draw',
  'power.limit',
  'temperature.gpu',
] as const;

/**
 * Per-GPU readings from `nvidia-smi --query-gpu=<NVIDIA_SMI_FIELDS> --format=csv,noheader,nounits`
 * (memory in MiB, power in W). A field a GPU does not report (`[N/A]`, `[Not Supported]`) is left
 * out rather than logged as 0. `gpu_<i>_temperature_celsius` is Trove's: MLflow 2.17 logs no temperature.
 */
export function parseNvidiaSmi(csv: string): Readings {
  const out: Readings = {};
  for (const line of csv.split('\n')) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    const [index, util, memUsed, memTotal, powerDraw, powerLimit, temperature] = cells.map(numberOrUndefined);
    if (index === undefined || cells.length < NVIDIA_SMI_FIELDS.length) continue;
    const g = `gpu_${index}_`;
    if (memUsed !== undefined && memTotal !== undefined && memTotal > 0)
      out[`${g}memory_usage_percentage`] = round1((memUsed / memTotal) * 100);
    if (memUsed !== undefined) out[`${g}memory_usage_megabytes`] = (memUsed * 1024 * 1024) / 1e6;
    if (util !== undefined) out[`${g}utilization_percentage`] = util;
    if (powerDraw !== undefined) out[`${g}power_usage_watts`] = powerDraw;
    if (powerDraw !== undefined && powerLimit !== undefined && powerLimit > 0)
      out[`${g}power_usage_percentage`] = (powerDraw / powerLimit) * 100;
    if (temperature !== undefined) out[`${g}temperature_celsius`] = temperature;
  }
  return out;
}

/**
 * What one logging step records from its samples, as MLflow aggregates them: the mean of each
 * reading rounded to one decimal, except network totals, which are the latest sample's.
 */
export function aggregateSamples(samples: readonly Readings[]): Readings {
  const sums = new Map<string, { sum: number; n: number }>();
  const latest: Readings = {};
  for (const sample of samples) {
    for (const [key, value] of Object.entries(sample)) {
      if (key.startsWith('network_')) {
        latest[key] = value;
        continue;
      }
      const s = sums.get(key) ?? { sum: 0, n: 0 };
      s.sum += value;
      s.n += 1;
      sums.set(key, s);
    }
  }
  const out: Readings = {};
  for (const [key, { sum, n }] of sums) out[key] = round1(sum / n);
  return { ...out, ...latest };
}

function numberOrUndefined(cell: string): number | undefined {
  if (cell === '' || cell.startsWith('[')) return undefined;
  const n = Number(cell);
  return Number.isFinite(n) ? n : undefined;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const clampPercent = (n: number) => Math.min(100, Math.max(0, n));
