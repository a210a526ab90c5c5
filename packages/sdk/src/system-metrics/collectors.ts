import { execFile } from 'node:child_process';
import { readFile, statfs } from 'node:fs/promises';
import { cpus, freemem, totalmem } from 'node:os';
import { promisify } from 'node:util';
import {
  type CpuTimes,
  cpuReadings,
  cpuTimesOf,
  diskReadings,
  memoryReadings,
  type NetCounters,
  NVIDIA_SMI_FIELDS,
  networkReadings,
  parseNvidiaSmi,
  parseProcNetDev,
  type Readings,
} from './readings.ts';

const run = promisify(execFile);

/** Where the collectors look: the volume to measure and the nvidia-smi binary. */
export interface CollectorOptions {
  diskPath: string;
  nvidiaSmi: string;
}

/**
 * Reads the machine once per sample. CPU use and network traffic are differences from the
 * previous sample and from the start; GPUs are read through nvidia-smi until it is found missing
 * or failing, then left out (as MLflow skips its GPU monitor without pynvml).
 */
export class SystemCollectors {
  private cpu: CpuTimes = cpuTimesOf(cpus());
  private net: NetCounters | undefined;
  private gpus = true;

  private constructor(private readonly options: CollectorOptions) {}

  static async start(options: CollectorOptions): Promise<SystemCollectors> {
    const c = new SystemCollectors(options);
    c.net = await readNetCounters();
    return c;
  }

  async sample(): Promise<Readings> {
    const now = cpuTimesOf(cpus());
    const out: Readings = { ...cpuReadings(this.cpu, now), ...memoryReadings(totalmem(), freemem()) };
    this.cpu = now;
    try {
      Object.assign(out, diskReadings(await statfs(this.options.diskPath)));
    } catch {
      // a volume that went away: no disk readings this time
    }
    const net = await readNetCounters();
    if (this.net && net) Object.assign(out, networkReadings(this.net, net));
    if (this.gpus) Object.assign(out, await this.gpuReadings());
    return out;
  }

  private async gpuReadings(): Promise<Readings> {
    try {
      const { stdout } = await run(
        this.options.nvidiaSmi,
        [`--query-gpu=${NVIDIA_SMI_FIELDS.join(',')}`, '--format=csv,noheader,nounits'],
        { timeout: 10_000 },
      );
      return parseNvidiaSmi(stdout);
    } catch {
      this.gpus = false;
      return {};
    }
  }
}

/** Linux only: other systems log no network readings. */
async function readNetCounters(): Promise<NetCounters | undefined> {
  try {
    return parseProcNetDev(await readFile('/proc/net/dev', 'utf8'));
  } catch {
    return undefined;
  }
}
