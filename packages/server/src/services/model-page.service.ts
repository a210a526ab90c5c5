import { joinKey, safeArtifactPath } from '@trove/artifacts';
import { type DatasetInput, type ModelPages, type Run, TroveError } from '@trove/protocol';
import { isVisible, type Visibility } from '@trove/store';
import { type ArtifactService, proxiedKey } from './artifact.service.ts';
import { MLMODEL_MAX_BYTES, parseMlModel, readText } from './mlmodel.ts';
import type { ModelVersionService } from './model-version.service.ts';
import type { RunService } from './run.service.ts';
import type { Workspace } from './workspace.service.ts';

const EXAMPLE_MAX_BYTES = 64 * 1024;

function dataset(d: DatasetInput) {
  const tags = d.tags ?? [];
  return { ...d.dataset, context: tags.find((t) => t.key === 'mlflow.data.context')?.value, tags };
}

const missingFile = (e: unknown) => e instanceof TroveError && e.code === 'RESOURCE_DOES_NOT_EXIST';

/**
 * One model version with everything a model page shows: the version, its run (params, latest
 * metrics), the datasets the run logged, the parsed MLmodel when this server holds the files,
 * and the lineage dataset → run → version → stage/aliases.
 */
export function createModelPageService(versions: ModelVersionService, runs: RunService, artifacts: ArtifactService) {
  async function readFile(ws: Workspace, key: string, limit: number): Promise<string | undefined> {
    try {
      const file = await artifacts.open(ws, key);
      if (file.size > limit) {
        file.stream.destroy();
        throw new Error(`${key} is larger than ${limit} bytes`);
      }
      return await readText(file.stream, limit);
    } catch (e) {
      if (missingFile(e)) return undefined;
      throw e;
    }
  }

  /** The saved input example when small and valid JSON; its path comes from the file itself, so it is checked like a client's. */
  async function inputExample(ws: Workspace, root: string, path: unknown): Promise<unknown> {
    if (typeof path !== 'string') return undefined;
    try {
      const text = await readFile(ws, joinKey(root, safeArtifactPath(path, { encoded: false })), EXAMPLE_MAX_BYTES);
      return text === undefined ? undefined : (JSON.parse(text) as unknown);
    } catch {
      return undefined;
    }
  }

  /** The MLmodel under a location this server proxies (`mlflow-artifacts:`), else nothing. */
  async function mlmodel(ws: Workspace, location: string): Promise<ModelPages.MlModelResponse> {
    let root: string | undefined;
    try {
      root = proxiedKey(location);
    } catch {
      return {};
    }
    if (root === undefined) return {};
    try {
      const text = await readFile(ws, joinKey(root, 'MLmodel'), MLMODEL_MAX_BYTES);
      if (text === undefined) return {};
      const info = parseMlModel(text);
      const example = await inputExample(ws, root, info.saved_input_example_info?.artifact_path);
      return example === undefined ? { mlmodel: info } : { mlmodel: info, input_example: example };
    } catch (e) {
      return { mlmodel_error: `Could not read the MLmodel file: ${(e as Error).message}` };
    }
  }

  /** `visible`: the experiments the caller may read; a run in another is left out, with its datasets. */
  async function get(
    ws: Workspace,
    name: string,
    version: string,
    visible?: Visibility<number>,
  ): Promise<ModelPages.VersionPageResponse> {
    const row = await versions.getRow(ws, name, version);
    const mv = await versions.get(ws, name, version);
    let run: Run | undefined;
    // A `runs:/<id>/...` source names its run even when the client sent no run_id.
    const runId = row.run_id || /^runs:\/([^/]+)/.exec(row.source)?.[1];
    if (runId) run = await runs.get(ws, runId).catch((e) => (missingFile(e) ? undefined : Promise.reject(e)));
    if (run && !isVisible(visible, Number(run.info.experiment_id))) run = undefined;
    const datasets = (run?.inputs?.dataset_inputs ?? []).map(dataset);
    const model = await mlmodel(ws, row.storage_location ?? row.source);
    return {
      model_version: mv,
      ...(run ? { run } : {}),
      datasets,
      ...model,
      lineage: {
        datasets: datasets.map((d) => ({
          name: d.name,
          digest: d.digest,
          ...(d.context ? { context: d.context } : {}),
        })),
        ...(run
          ? { run: { run_id: run.info.run_id, run_name: run.info.run_name, experiment_id: run.info.experiment_id } }
          : {}),
        ...(mv.model_id ? { logged_model_id: mv.model_id } : {}),
        model_version: { name: mv.name, version: mv.version },
        stage: mv.current_stage,
        aliases: mv.aliases ?? [],
      },
    };
  }

  /** The MLmodel of a model logged in a run's artifacts (`path` is the model's folder, e.g. `model`). */
  async function forRunArtifact(ws: Workspace, runId: string, path: string): Promise<ModelPages.MlModelResponse> {
    const root = (await runs.getRow(ws, runId)).artifact_uri;
    const rel = safeArtifactPath(path, { encoded: false, allowEmpty: true });
    return mlmodel(ws, rel ? `${root.replace(/\/+$/, '')}/${rel}` : root);
  }

  return { get, forRunArtifact };
}

export type ModelPageService = ReturnType<typeof createModelPageService>;
