import { mlflow, type TestServer } from '../../support/server.ts';
import { makePng, makeWav } from './media.ts';

export const SWEEP_RUNS = 120;
export const HISTORY_STEPS = 3000;

export interface Seeded {
  experimentId: string;
  otherExperimentId: string;
  baselineRunId: string;
  childRunId: string;
  /** Sweep runs are `sweep-000`…; optimizer is `sgd` for every third one. */
  sweepRunIds: string[];
  modelName: string;
}

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

/**
 * A small but realistic workspace, written through the MLflow API exactly as clients do:
 * an experiment with 120 sweep runs (more than one page of the runs table), a baseline run
 * with a 3,000-step loss curve, nested params, a dataset, a git commit and artifacts of every
 * preview kind, a child run, and a registered model with stages and aliases.
 */
export async function seedTrove(server: TestServer): Promise<Seeded> {
  const api = mlflow(server);
  const experimentId = await api.createExperiment('image-classifier');
  await api.ok('POST', '/experiments/set-experiment-tag', {
    experiment_id: experimentId,
    key: 'team',
    value: 'vision',
  });
  const otherExperimentId = await api.createExperiment('text-sentiment');
  await api.createExperiment('tabular-churn');

  const sweepRunIds = await pool(
    Array.from({ length: SWEEP_RUNS }, (_, i) => i),
    8,
    async (i) => {
      const start = T0 + i * 60_000;
      const runId = await api.createRun(experimentId, {
        run_name: `sweep-${String(i).padStart(3, '0')}`,
        start_time: start,
        user_id: i % 2 ? 'alice' : 'bob',
      });
      const sgd = i % 3 === 0;
      await api.ok('POST', '/runs/log-batch', {
        run_id: runId,
        params: [
          { key: 'lr', value: String([0.1, 0.03, 0.01, 0.003][i % 4]) },
          { key: 'batch_size', value: String([32, 64, 128][i % 3]) },
          { key: 'optimizer/name', value: sgd ? 'sgd' : 'adam' },
          ...(sgd
            ? [{ key: 'optimizer/sgd/momentum', value: '0.9' }]
            : [{ key: 'optimizer/adam/beta1', value: '0.9' }]),
        ],
        metrics: [
          { key: 'loss', value: 0.2 + ((i * 37) % 100) / 100, timestamp: start + 50_000, step: 10 },
          { key: 'accuracy', value: 0.5 + ((i * 53) % 50) / 100, timestamp: start + 50_000, step: 10 },
        ],
        tags: [{ key: 'team', value: i % 5 === 0 ? 'research' : 'vision' }],
      });
      const status = i === SWEEP_RUNS - 1 ? 'RUNNING' : i % 7 === 3 ? 'FAILED' : 'FINISHED';
      if (status !== 'RUNNING')
        await api.ok('POST', '/runs/update', { run_id: runId, status, end_time: start + 30_000 + i * 1000 });
      return runId;
    },
  );

  const baseStart = T0 + (SWEEP_RUNS + 5) * 60_000;
  const baselineRunId = await api.createRun(experimentId, {
    run_name: 'baseline-resnet',
    start_time: baseStart,
    user_id: 'carol',
    tags: [
      { key: 'mlflow.source.name', value: 'train.py' },
      { key: 'mlflow.source.type', value: 'LOCAL' },
      { key: 'mlflow.source.git.commit', value: '3f9a1c27e4b0d5a6c8e9f0a1b2c3d4e5f6a7b8c9' },
      { key: 'mlflow.user', value: 'carol' },
      { key: 'mlflow.note.content', value: 'ResNet-18 baseline on the v3 split.' },
      { key: 'team', value: 'vision' },
    ],
  });
  await api.ok('POST', '/runs/log-batch', {
    run_id: baselineRunId,
    params: [
      { key: 'lr', value: '0.01' },
      { key: 'batch_size', value: '64' },
      { key: 'optimizer/name', value: 'adam' },
      { key: 'optimizer/adam/beta1', value: '0.9' },
      { key: 'optimizer/adam/beta2', value: '0.999' },
      { key: 'model/depth', value: '18' },
      { key: 'model/pretrained', value: 'true' },
    ],
  });
  // A 3,000-step loss curve and accuracy curve, in log-batch requests of 1,000 points.
  for (let from = 0; from < HISTORY_STEPS; from += 500) {
    const metrics = [];
    for (let step = from; step < from + 500; step++) {
      const t = baseStart + step * 1000;
      metrics.push({
        key: 'loss',
        value: 2.5 * Math.exp(-step / 600) + 0.15 + 0.05 * Math.sin(step / 7),
        timestamp: t,
        step,
      });
      metrics.push({ key: 'accuracy', value: 0.95 - 0.6 * Math.exp(-step / 500), timestamp: t, step });
    }
    await api.ok('POST', '/runs/log-batch', { run_id: baselineRunId, metrics });
  }
  await api.ok('POST', '/runs/log-batch', {
    run_id: baselineRunId,
    metrics: [{ key: 'val/loss', value: 0.31, timestamp: baseStart + 10_000, step: 1 }],
  });
  await api.ok('POST', '/runs/log-inputs', {
    run_id: baselineRunId,
    datasets: [
      {
        dataset: {
          name: 'imagenet-mini',
          digest: 'a1b2c3d4',
          source_type: 'local',
          source: '{"uri": "/data/imagenet-mini"}',
        },
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
      },
    ],
  });
  const root = `${experimentId}/${baselineRunId}/artifacts`;
  const csv = [
    'epoch,loss,accuracy',
    ...Array.from({ length: 20 }, (_, i) => `${i},${(2 / (i + 1)).toFixed(4)},${(0.5 + i * 0.02).toFixed(2)}`),
  ].join('\n');
  await putArtifact(server, `${root}/plots/confusion.png`, makePng(160, 120));
  await putArtifact(server, `${root}/eval/metrics.csv`, Buffer.from(csv));
  await putArtifact(server, `${root}/notes.txt`, Buffer.from('Trained on 4 GPUs.\nBest epoch: 17.\n'));
  await putArtifact(server, `${root}/config.json`, Buffer.from(JSON.stringify({ model: { depth: 18 }, lr: 0.01 })));
  await putArtifact(server, `${root}/audio/sample.wav`, makeWav(1.5));
  await putArtifact(
    server,
    `${root}/report.html`,
    Buffer.from(
      '<html><body><h1 id="title">Eval report</h1><script>parent.document.title = "pwned"</script></body></html>',
    ),
  );
  await api.ok('POST', '/runs/update', {
    run_id: baselineRunId,
    status: 'FINISHED',
    end_time: baseStart + HISTORY_STEPS * 1000,
  });

  const childRunId = await api.createRun(experimentId, {
    run_name: 'finetune-child',
    start_time: baseStart + 1000,
    tags: [{ key: 'mlflow.parentRunId', value: baselineRunId }],
  });
  await api.ok('POST', '/runs/log-batch', {
    run_id: childRunId,
    params: [
      { key: 'lr', value: '0.001' },
      { key: 'batch_size', value: '64' },
      { key: 'optimizer/name', value: 'adam' },
    ],
    metrics: Array.from({ length: 200 }, (_, step) => ({
      key: 'loss',
      value: 0.4 * Math.exp(-step / 80) + 0.12,
      timestamp: baseStart + 2000 + step * 1000,
      step: step * 10,
    })),
  });
  await api.ok('POST', '/runs/update', { run_id: childRunId, status: 'FINISHED', end_time: baseStart + 400_000 });

  await api.createRun(otherExperimentId, { run_name: 'bert-base' });

  const modelName = 'resnet-classifier';
  await api.ok('POST', '/registered-models/create', {
    name: modelName,
    description: 'Image classifier for the product catalogue.',
    tags: [{ key: 'owner', value: 'vision-team' }],
  });
  for (const runId of [baselineRunId, childRunId, childRunId]) {
    await api.ok('POST', '/model-versions/create', { name: modelName, source: `runs:/${runId}/model`, run_id: runId });
  }
  await api.ok('POST', '/model-versions/transition-stage', {
    name: modelName,
    version: '2',
    stage: 'Production',
    archive_existing_versions: false,
  });
  await api.ok('POST', '/model-versions/transition-stage', {
    name: modelName,
    version: '3',
    stage: 'Staging',
    archive_existing_versions: false,
  });
  await api.ok('POST', '/registered-models/alias', { name: modelName, alias: 'champion', version: '2' });
  await api.ok('POST', '/registered-models/alias', { name: modelName, alias: 'challenger', version: '3' });
  await api.ok('POST', '/registered-models/create', { name: 'churn-model' });
  await api.ok('POST', '/model-versions/create', { name: 'churn-model', source: 's3://bucket/churn/1' });

  return { experimentId, otherExperimentId, baselineRunId, childRunId, sweepRunIds, modelName };
}

export async function putArtifact(server: TestServer, path: string, body: Buffer): Promise<void> {
  const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, {
    method: 'PUT',
    body: new Uint8Array(body),
  });
  if (res.status !== 200) throw new Error(`PUT ${path} → ${res.status} ${await res.text()}`);
}

/** Runs `fn` over `items` with at most `size` in flight; results in input order. */
export async function pool<T, R>(items: T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
