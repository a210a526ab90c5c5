import type { TestServer } from './server.ts';

type Call = TestServer['call'];

/** The ids of the graph {@link seedLineageGraph} makes. */
export interface LineageGraphIds {
  experimentId: string;
  consumerExperimentId: string;
  train: string;
  evaluation: string;
  sweep: string;
  children: string[];
  grandchild: string;
  loggedModel: string;
  consumer: string;
  deploymentId: string;
  model: string;
}

/**
 * datasets (train, eval) → a parent sweep → two children (one with a child of its own) → a logged
 * model produced by the first child → version 1 (from the logged model; alias `champion`, stage
 * Production, deployed to `prod`) and version 2 (from the second child's `runs:/` source) → a run
 * in another experiment that loaded the logged model. All in workspace `ws` (undefined: default).
 */
export async function seedLineageGraph(
  call: Call,
  ws?: string,
  headers: Record<string, string> = {},
): Promise<LineageGraphIds> {
  const m = `${ws ? `/w/${ws}` : ''}/api/2.0/mlflow`;
  const t = `${ws ? `/w/${ws}` : ''}/api/trove/v1`;
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, path, body, headers);
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const experimentId = (await ok('POST', `${m}/experiments/create`, { name: 'lineage' })).experiment_id;
  const consumerExperimentId = (await ok('POST', `${m}/experiments/create`, { name: 'lineage-consumers' }))
    .experiment_id;
  const run = async (name: string, tags: { key: string; value: string }[] = [], experiment = experimentId) =>
    (await ok('POST', `${m}/runs/create`, { experiment_id: experiment, run_name: name, start_time: 1000, tags })).run
      .info.run_id as string;
  const dataset = (name: string, digest: string) => ({
    dataset: { name, digest, source_type: 's3', source: `s3://data/${name}.parquet` },
    tags: [{ key: 'mlflow.data.context', value: name }],
  });
  const sweep = await run('sweep', [
    { key: 'mlflow.source.git.commit', value: 'abc123' },
    { key: 'mlflow.source.name', value: 'train.py' },
  ]);
  await ok('POST', `${m}/runs/log-inputs`, {
    run_id: sweep,
    datasets: [dataset('train', 'd1'), dataset('eval', 'd2')],
  });
  const parent = (id: string) => [{ key: 'mlflow.parentRunId', value: id }];
  const children = [await run('trial-1', parent(sweep)), await run('trial-2', parent(sweep))];
  const grandchild = await run('trial-2-fold', parent(children[1]));
  const loggedModel = (
    await ok('POST', `${m}/logged-models`, { experiment_id: experimentId, name: 'clf', source_run_id: children[0] })
  ).model.info.model_id as string;
  const model = 'churn';
  await ok('POST', `${m}/registered-models/create`, { name: model });
  await ok('POST', `${m}/model-versions/create`, {
    name: model,
    source: `models:/${loggedModel}`,
    model_id: loggedModel,
  });
  // As mlflow.register_model('runs:/…') sends it: the run id beside the source.
  await ok('POST', `${m}/model-versions/create`, {
    name: model,
    source: `runs:/${children[1]}/model`,
    run_id: children[1],
  });
  await ok('POST', `${m}/registered-models/alias`, { name: model, alias: 'champion', version: '1' });
  await ok('POST', `${m}/model-versions/transition-stage`, {
    name: model,
    version: '1',
    stage: 'Production',
    archive_existing_versions: false,
  });
  const deploymentId = (
    await ok('POST', `${t}/deployments`, { name: model, version: 1, environment: 'prod', url: 'https://churn.example' })
  ).deployment.deployment_id as string;
  const consumer = await run('batch-score', [], consumerExperimentId);
  await ok('POST', `${m}/runs/log-inputs`, { run_id: consumer, models: [{ model_id: loggedModel }] });
  return {
    ...{ experimentId, consumerExperimentId, sweep, children, grandchild, loggedModel, consumer, deploymentId, model },
    train: `dataset:${experimentId}/train/d1`,
    evaluation: `dataset:${experimentId}/eval/d2`,
  };
}
