import { systemReadings as R } from '@trove/sdk';
import { describe, expect, it } from 'vitest';

// Recorded on a Linux host (two interfaces) and from `nvidia-smi --query-gpu=… --format=csv,noheader,nounits`
// on a two-GPU machine whose second card reports no power limit.
const PROC_NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 1048576    1200    0    0    0     0          0         0  1048576    1200    0    0    0     0       0          0
  eth0: 52428800   41000    0    0    0     0          0         0 10485760   22000    0    0    0     0       0          0
`;
const NVIDIA_SMI = `0, 87, 30720, 81920, 312.45, 700.00, 64
1, 0, 512, 81920, 71.20, [N/A], 35
`;

describe('system readings (MLflow 2.17 names)', () => {
  it('sums /proc/net/dev over every interface and reports traffic since the start in MB', () => {
    const start = R.parseProcNetDev(PROC_NET_DEV)!;
    expect(start).toEqual({ received: 53477376, sent: 11534336 });
    const later = { received: start.received + 2_500_000, sent: start.sent + 1_000_000 };
    expect(R.networkReadings(start, later)).toEqual({ network_receive_megabytes: 2.5, network_transmit_megabytes: 1 });
    expect(R.parseProcNetDev('not the proc format')).toBeUndefined();
  });

  it('turns nvidia-smi CSV into per-GPU readings and leaves out what a card does not report', () => {
    const r = R.parseNvidiaSmi(NVIDIA_SMI);
    expect(r).toEqual({
      gpu_0_utilization_percentage: 87,
      gpu_0_memory_usage_megabytes: (30720 * 1048576) / 1e6,
      gpu_0_memory_usage_percentage: 37.5,
      gpu_0_power_usage_watts: 312.45,
      gpu_0_power_usage_percentage: (312.45 / 700) * 100,
      gpu_0_temperature_celsius: 64,
      gpu_1_utilization_percentage: 0,
      gpu_1_memory_usage_megabytes: (512 * 1048576) / 1e6,
      gpu_1_memory_usage_percentage: 0.6,
      gpu_1_power_usage_watts: 71.2,
      gpu_1_temperature_celsius: 35,
    });
    expect(R.parseNvidiaSmi('')).toEqual({});
  });

  it('computes CPU use from two os.cpus() samples', () => {
    const core = (user: number, idle: number) => ({ times: { user, nice: 0, sys: 0, idle, irq: 0 } });
    const before = R.cpuTimesOf([core(100, 900), core(100, 900)]);
    const after = R.cpuTimesOf([core(175, 925), core(100, 1000)]);
    // 75 busy of 200 ms elapsed
    expect(R.cpuReadings(before, after)).toEqual({ cpu_utilization_percentage: 37.5 });
    expect(R.cpuReadings(after, after)).toEqual({ cpu_utilization_percentage: 0 });
  });

  it('computes memory and disk use as psutil does', () => {
    expect(R.memoryReadings(16e9, 4e9)).toEqual({
      system_memory_usage_megabytes: 12000,
      system_memory_usage_percentage: 75,
    });
    // 1000 blocks of 4096 bytes, 400 free of which 300 available to users (reserved blocks excluded)
    expect(R.diskReadings({ bsize: 4096, blocks: 1000, bfree: 400, bavail: 300 })).toEqual({
      disk_usage_megabytes: (600 * 4096) / 1e6,
      disk_available_megabytes: (300 * 4096) / 1e6,
      disk_usage_percentage: (600 / 900) * 100,
    });
  });

  it('averages samples to one decimal, keeping the latest network totals', () => {
    expect(
      R.aggregateSamples([
        { cpu_utilization_percentage: 10, network_receive_megabytes: 1 },
        { cpu_utilization_percentage: 20.15, network_receive_megabytes: 3 },
      ]),
    ).toEqual({ cpu_utilization_percentage: 15.1, network_receive_megabytes: 3 });
  });
});
