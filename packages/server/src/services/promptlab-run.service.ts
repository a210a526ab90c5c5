import { Readable } from 'node:stream';
import { invalidParam, type Run, type RunStatus } from '@trove/protocol';
import { stringify } from 'yaml';
import type { ArtifactService } from './artifact.service.ts';
import type { RunService } from './run.service.ts';
import type { RunDataService } from './run-data.service.ts';
import type { Workspace } from './workspace.service.ts';

type KeyValue = { key: string; value: string };

/** What MLflow's prompt lab (its UI's "new run" for LLM prompts) sends to `runs/create-promptlab-run`. */
export interface PromptlabRunRequest {
  experiment_id: string;
  run_name?: string;
  tags: KeyValue[];
  prompt_template: string;
  prompt_parameters: KeyValue[];
  model_route: string;
  model_parameters: KeyValue[];
  model_input: string;
  model_output?: string;
  model_output_parameters: KeyValue[];
  mlflow_version: string;
  user_id: string;
  start_time?: number;
}

const asText = (v: unknown) =>
  typeof v === 'string'
    ? v
    : v === undefined || v === null
      ? ''
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

/** Reads the request body MLflow's handler reads, required fields checked in its order and words. */
export function readPromptlabRequest(body: Record<string, unknown>): PromptlabRunRequest {
  const required = (name: string) => {
    const v = body[name];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0))
      throw invalidParam(`CreatePromptlabRun request must specify ${name}.`);
    return v;
  };
  const pairs = (name: string, v: unknown): KeyValue[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p)))
      throw invalidParam(`CreatePromptlabRun: '${name}' must be a list of {key, value} objects.`);
    return v.map((p: Record<string, unknown>) => ({ key: asText(p.key), value: asText(p.value) }));
  };
  const experimentId = asText(required('experiment_id'));
  const promptTemplate = asText(required('prompt_template'));
  const promptParameters = pairs('prompt_parameters', required('prompt_parameters'));
  const modelRoute = asText(required('model_route'));
  const modelParameters = pairs('model_parameters', body.model_parameters);
  const modelInput = asText(required('model_input'));
  const modelOutputParameters = pairs('model_output_parameters', body.model_output_parameters);
  const mlflowVersion = asText(required('mlflow_version'));
  const start = body.start_time;
  if (start !== undefined && (typeof start !== 'number' || !Number.isSafeInteger(start)))
    throw invalidParam('CreatePromptlabRun: start_time must be an integer (milliseconds).');
  return {
    experiment_id: experimentId,
    run_name: body.run_name === undefined || body.run_name === null ? undefined : asText(body.run_name),
    tags: pairs('tags', body.tags),
    prompt_template: promptTemplate,
    prompt_parameters: promptParameters,
    model_route: modelRoute,
    model_parameters: modelParameters,
    model_input: modelInput,
    model_output: body.model_output === undefined || body.model_output === null ? undefined : asText(body.model_output),
    model_output_parameters: modelOutputParameters,
    mlflow_version: mlflowVersion,
    user_id: body.user_id === undefined ? 'unknown' : asText(body.user_id),
    start_time: start as number | undefined,
  };
}

/**
 * A finished run recording one prompt-lab evaluation, as MLflow records it: the model parameters,
 * route and template as params; an `eval_results_table.json` table artifact; and a `promptlab`
 * pyfunc model (MLmodel + parameters.yaml) that MLflow's client can load.
 */
export function createPromptlabRunService(runs: RunService, runData: RunDataService, artifacts: ArtifactService) {
  async function write(ws: Workspace, runId: string, path: string, text: string): Promise<void> {
    const target = await artifacts.runFileTarget(ws, runId, path);
    await artifacts.putResolved(target, Readable.from([Buffer.from(text)]));
  }

  async function create(ws: Workspace, req: PromptlabRunRequest): Promise<Run> {
    const run = await runs.create(ws, {
      experiment_id: req.experiment_id,
      user_id: req.user_id,
      run_name: req.run_name,
      start_time: req.start_time,
      tags: req.tags,
    });
    const runId = run.info.run_id;
    let status: Extract<RunStatus, 'FINISHED' | 'FAILED'> = 'FINISHED';
    try {
      await runData.logBatch(ws, runId, {
        params: [
          ...req.model_parameters,
          { key: 'model_route', value: req.model_route },
          { key: 'prompt_template', value: req.prompt_template },
        ],
        tags: [
          // Python's json.dumps spacing, as MLflow writes this tag.
          { key: 'mlflow.loggedArtifacts', value: '[{"path": "eval_results_table.json", "type": "table"}]' },
          { key: 'mlflow.runSourceType', value: 'PROMPT_ENGINEERING' },
        ],
      });
      const created = new Date().toISOString().replace('T', ' ').replace('Z', '000');
      const signature = {
        inputs: JSON.stringify(req.prompt_parameters.map((p) => ({ type: 'string', name: p.key, required: true }))),
        outputs: JSON.stringify([{ type: 'string', name: 'output', required: true }]),
        params: null,
      };
      const model = {
        artifact_path: 'model',
        run_id: runId,
        utc_time_created: created,
        flavors: {
          python_function: {
            loader_module: 'mlflow._promptlab',
            parameters_path: 'parameters.yaml',
            python_version: '3',
            env: { virtualenv: 'python_env.yaml' },
          },
        },
        signature,
        saved_input_example_info: { artifact_path: 'input_example.json', type: 'json_object' },
        mlflow_version: req.mlflow_version,
      };
      await runData.logModel(ws, runId, JSON.stringify(model));
      await write(ws, runId, 'model/MLmodel', stringify(model));
      const params = (list: KeyValue[]) => Object.fromEntries(list.map((p) => [p.key, p.value]));
      await write(
        ws,
        runId,
        'model/parameters.yaml',
        stringify({
          prompt_parameters: params(req.prompt_parameters),
          model_parameters: params(req.model_parameters),
          model_route: req.model_route,
          prompt_template: req.prompt_template,
        }),
      );
      await write(
        ws,
        runId,
        'model/input_example.json',
        JSON.stringify({ inputs: req.prompt_parameters.map((p) => p.value) }),
      );
      await write(ws, runId, 'model/requirements.txt', `mlflow[gateway]==${req.mlflow_version}\n`);
      const columns = [
        ...req.prompt_parameters.map((p) => p.key),
        'prompt',
        'output',
        ...req.model_output_parameters.map((p) => p.key),
      ];
      const row = [
        ...req.prompt_parameters.map((p) => p.value),
        req.model_input,
        req.model_output ?? null,
        ...req.model_output_parameters.map((p) => p.value),
      ];
      await write(ws, runId, 'eval_results_table.json', JSON.stringify({ columns, data: [row] }));
    } catch (e) {
      status = 'FAILED';
      await runs.update(ws, runId, { status, end_time: Date.now() });
      throw e;
    }
    await runs.update(ws, runId, { status, end_time: Date.now() });
    return runs.get(ws, runId);
  }

  return { create };
}
