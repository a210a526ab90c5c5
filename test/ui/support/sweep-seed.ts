import { mlflow, type TestServer, trove } from '../../support/server.ts';
import { makePng } from './media.ts';
import { pool, putArtifact } from './seed.ts';

/**
 * The "realistic sweep" that issue 13's browser tests share: what a new user brings on day one.
 *
 * - Experiment `lr-sweep` (description in `mlflow.note.content`): 30 parent runs (`trial-00`…),
 *   each with 9 children (`trial-00/child-0`…), 300 runs in all. Children log 500-step curves of
 *   `loss`, `accuracy`, `val/loss`, `val/accuracy` and 50 steps of `system/*` metrics; parents log
 *   only a summary `best_val_loss`. Params differ across runs (`lr` spans 1e-5…1e-1, `weight_decay`
 *   too, `batch_size`, `dropout`, `optimizer`, `seed`) except `dataset`, which every run shares.
 *   Runs are created without `user_id`, with the `mlflow.user` tag, as the Python client does.
 * - Children of trial-00 carry artifacts: a model folder (`model/MLmodel`, `model/model.pkl`), a
 *   `README.md`, a long unbroken-text `notes.txt`, a PNG; the first child logs a dataset with
 *   schema and profile.
 * - Registry: `sweep-model` with three versions from children of trial-00 (descriptions, tags),
 *   v1 in Production, alias `champion` on v2, a review policy on Production and a pending request.
 *
 * Parents are created first and children sorted after them by start time in reverse, so the
 * default order (newest first) puts children on the first page while some parents are on later
 * pages: the nesting must still work.
 */
export const SWEEP = { parents: 30, childrenPer: 9, steps: 500, systemSteps: 50 } as const;
export const SWEEP_RUN_COUNT = SWEEP.parents * (SWEEP.childrenPer + 1);

export interface SweepSeeded {
  experimentId: string;
  experimentName: string;
  parentRunIds: string[];
  /** childRunIds[p][c] is child c of parent p. */
  childRunIds: string[][];
  /** The child with artifacts, a dataset and registered versions (trial-00/child-0). */
  featuredRunId: string;
  modelName: string;
  description: string;
}

const T0 = Date.UTC(2025, 2, 3, 8, 0, 0);
const LRS = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1];
const DESCRIPTION = '## LR sweep\n\nLearning-rate sweep of **ResNet-18** on the v3 split. See `README.md` in each run.';

export async function seedSweep(server: TestServer): Promise<SweepSeeded> {
  const api = mlflow(server);
  const experimentName = 'lr-sweep';
  const experimentId = await api.createExperiment(experimentName);
  await api.ok('POST', '/experiments/set-experiment-tag', {
    experiment_id: experimentId,
    key: 'mlflow.note.content',
    value: DESCRIPTION,
  });

  const parentRunIds = await pool(
    Array.from({ length: SWEEP.parents }, (_, p) => p),
    4,
    async (p) => {
      const start = T0 + p * 3_600_000;
      const runId = await api.createRun(experimentId, {
        run_name: `trial-${String(p).padStart(2, '0')}`,
        start_time: start,
        tags: [{ key: 'mlflow.user', value: p % 2 ? 'alice' : 'bob' }],
      });
      await api.ok('POST', '/runs/log-batch', {
        run_id: runId,
        params: [
          { key: 'dataset', value: 'imagenet-v3' },
          { key: 'optimizer', value: p % 3 === 0 ? 'sgd' : 'adam' },
          { key: 'batch_size', value: String([32, 64, 128][p % 3]) },
        ],
        metrics: [{ key: 'best_val_loss', value: 0.3 + (p % 7) / 20, timestamp: start + 1000, step: 0 }],
      });
      return runId;
    },
  );

  const childRunIds = await pool(
    Array.from({ length: SWEEP.parents }, (_, p) => p),
    4,
    (p) =>
      Promise.all(
        Array.from({ length: SWEEP.childrenPer }, (_, c) => seedChild(server, experimentId, parentRunIds[p], p, c)),
      ),
  );
  await pool(parentRunIds, 4, (runId, p) =>
    api.ok('POST', '/runs/update', {
      run_id: runId,
      status: p === 0 ? 'FAILED' : 'FINISHED',
      end_time: T0 + p * 3_600_000 + 3_000_000,
    }),
  );

  const featuredRunId = childRunIds[0][0];
  await seedArtifacts(server, experimentId, childRunIds[0]);
  await api.ok('POST', '/runs/log-inputs', {
    run_id: featuredRunId,
    datasets: [
      {
        dataset: {
          name: 'imagenet-v3',
          digest: '9f2c1e7a',
          source_type: 'local',
          source: '{"uri": "/data/imagenet-v3"}',
          schema: JSON.stringify({
            mlflow_colspec: [
              { type: 'string', name: 'image_path' },
              { type: 'long', name: 'label' },
            ],
          }),
          profile: JSON.stringify({ num_rows: 128_000, num_elements: 256_000 }),
        },
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
      },
    ],
  });

  const modelName = 'sweep-model';
  await api.ok('POST', '/registered-models/create', {
    name: modelName,
    description: 'Best runs of the LR sweep.',
    tags: [{ key: 'task', value: 'classification' }],
  });
  for (const [i, runId] of childRunIds[0].slice(0, 3).entries()) {
    await api.ok('POST', '/model-versions/create', {
      name: modelName,
      source: `mlflow-artifacts:/${experimentId}/${runId}/artifacts/model`,
      run_id: runId,
      description: `Child ${i} of trial-00.`,
      tags: [{ key: 'validated', value: i === 0 ? 'true' : 'false' }],
    });
  }
  await api.ok('POST', '/model-versions/transition-stage', {
    name: modelName,
    version: '1',
    stage: 'Production',
    archive_existing_versions: false,
  });
  await api.ok('POST', '/registered-models/alias', { name: modelName, alias: 'champion', version: '2' });
  const native = trove(server);
  await native.ok(
    'PUT',
    `/registered-models/${modelName}/review-policy`,
    {
      rules: [{ kind: 'stage', target: 'Production', required_approvals: 1 }],
    },
    'alice',
  );
  await native.ok(
    'POST',
    `/registered-models/${modelName}/versions/3/requests`,
    { stage: 'Production', archive_existing_versions: false, comment: 'Lowest val/loss of trial-00.' },
    'alice',
  );

  return {
    experimentId,
    experimentName,
    parentRunIds,
    childRunIds,
    featuredRunId,
    modelName,
    description: DESCRIPTION,
  };
}

async function seedChild(
  server: TestServer,
  experimentId: string,
  parentRunId: string,
  p: number,
  c: number,
): Promise<string> {
  const api = mlflow(server);
  // Later parents' children start earlier: newest-first puts them on the first page, apart from their parents.
  const start = T0 + (SWEEP.parents - p) * 3_600_000 * 2 + c * 60_000;
  const i = p * SWEEP.childrenPer + c;
  const lr = LRS[c];
  const runId = await api.createRun(experimentId, {
    run_name: `trial-${String(p).padStart(2, '0')}/child-${c}`,
    start_time: start,
    tags: [
      { key: 'mlflow.parentRunId', value: parentRunId },
      { key: 'mlflow.user', value: p % 2 ? 'alice' : 'bob' },
      { key: 'mlflow.source.name', value: 'train.py' },
    ],
  });
  await api.ok('POST', '/runs/log-batch', {
    run_id: runId,
    params: [
      { key: 'dataset', value: 'imagenet-v3' },
      { key: 'lr', value: String(lr) },
      { key: 'weight_decay', value: String(10 ** -(2 + (i % 5))) },
      { key: 'batch_size', value: String([32, 64, 128][p % 3]) },
      { key: 'dropout', value: String([0, 0.1, 0.2, 0.3][i % 4]) },
      { key: 'optimizer', value: p % 3 === 0 ? 'sgd' : 'adam' },
      { key: 'seed', value: String(1000 + i) },
    ],
  });
  // Converges faster with larger lr until it diverges at the top of the range.
  const rate = c < 7 ? 40 + c * 30 : 400;
  const floor = 0.15 + ((i * 13) % 20) / 100 + (c === 8 ? 0.8 : 0);
  const metrics = [];
  for (let step = 0; step < SWEEP.steps; step++) {
    const t = start + step * 2000;
    const loss = 2.3 * Math.exp(-step / rate) + floor + 0.03 * Math.sin(step / 5 + i);
    metrics.push({ key: 'loss', value: loss, timestamp: t, step });
    metrics.push({ key: 'accuracy', value: Math.max(0, 1 - loss / 2.5), timestamp: t, step });
    if (step % 10 === 0) {
      metrics.push({ key: 'val/loss', value: loss + 0.05, timestamp: t, step });
      metrics.push({ key: 'val/accuracy', value: Math.max(0, 0.97 - loss / 2.5), timestamp: t, step });
    }
  }
  for (let step = 0; step < SWEEP.systemSteps; step++) {
    const t = start + step * 20_000;
    metrics.push({ key: 'system/cpu_utilization_percentage', value: 40 + ((step * 7 + i) % 50), timestamp: t, step });
    metrics.push({ key: 'system/gpu_0_utilization_percentage', value: 70 + ((step * 3 + i) % 30), timestamp: t, step });
    metrics.push({ key: 'system/gpu_0_memory_usage_megabytes', value: 8000 + step * 10, timestamp: t, step });
  }
  for (let from = 0; from < metrics.length; from += 1000)
    await api.ok('POST', '/runs/log-batch', { run_id: runId, metrics: metrics.slice(from, from + 1000) });
  await api.ok('POST', '/runs/update', {
    run_id: runId,
    status: i % 23 === 5 ? 'FAILED' : 'FINISHED',
    end_time: start + SWEEP.steps * 2000,
  });
  return runId;
}

async function seedArtifacts(server: TestServer, experimentId: string, runIds: string[]): Promise<void> {
  for (const [c, runId] of runIds.entries()) {
    const root = `${experimentId}/${runId}/artifacts`;
    await putArtifact(
      server,
      `${root}/model/MLmodel`,
      Buffer.from(
        [
          'artifact_path: model',
          'flavors:',
          '  python_function:',
          '    loader_module: mlflow.sklearn',
          '    python_version: 3.11.7',
          '  sklearn:',
          '    sklearn_version: 1.5.2',
          'signature:',
          '  inputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3, 224, 224]}}]\'',
          '  outputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 1000]}}]\'',
          `run_id: ${runId}`,
          '',
        ].join('\n'),
      ),
    );
    await putArtifact(server, `${root}/model/model.pkl`, Buffer.from(`weights of child ${c}`));
    if (c > 0) continue;
    await putArtifact(
      server,
      `${root}/README.md`,
      Buffer.from(
        '# Trial 00, child 0\n\n- lr: **1e-5**\n- notes: <img src=x onerror="document.title=\'pwned\'">\n\n[report](https://example.com)\n',
      ),
    );
    await putArtifact(server, `${root}/notes.txt`, Buffer.from(`checkpoint:${'a'.repeat(600)}\n`));
    await putArtifact(server, `${root}/plots/curve.png`, makePng(120, 80));
  }
}
