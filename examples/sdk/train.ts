// A training loop logged with the SDK: params, metrics per step, system metrics, an image per epoch.
// Run against a server: MLFLOW_TRACKING_URI=http://127.0.0.1:5000 npx tsx examples/sdk/train.ts
import { deflateSync } from 'node:zlib';
import { startRun, TrackingClient } from '@trove/sdk';

const client = TrackingClient.fromEnv();
const run = await startRun(client, {
  experimentName: 'sdk-example',
  runName: 'toy-regression',
  systemMetrics: { samplingIntervalMs: 1000 },
  offlineDir: './trove-offline', // keeps logging if the server goes away; `trove sync` replays it
});
await run.logParams({ optimizer: { name: 'sgd', lr: 0.05 }, epochs: 5 });

let w = 0;
for (let epoch = 0; epoch < 5; epoch++) {
  for (let i = 0; i < 200; i++) {
    const step = epoch * 200 + i;
    const x = Math.random();
    const err = w * x - 3 * x;
    w -= 0.05 * err * x;
    // Awaiting log() holds the loop back only when 100k points are waiting to be sent.
    await run.log({ metrics: { train: { loss: err * err }, w }, step });
  }
  await run.logImage('weights', epoch * 200, grayPng(Math.round((w / 3) * 255)));
}
await run.end();
console.log(`run ${run.runId} ${run.offline ? 'logged offline: run `trove sync`' : 'finished'}`);

/** A 1×1 grayscale PNG of one brightness. */
function grayPng(level: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  const pixel = deflateSync(Buffer.from([0, Math.max(0, Math.min(255, level))]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', pixel),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
