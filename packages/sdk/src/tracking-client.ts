import type { FileInfo, Metric, Run, RunInfo } from '@trove/protocol';
import * as artifacts from './artifacts.ts';
import { chunkBatch } from './batch-limits.ts';
import { ExperimentsClient } from './experiments-client.ts';
import { type HttpClientOptions, optionsFromEnv } from './http-client.ts';
import { paginate } from './pages.ts';
import type * as T from './types.ts';
import { encodeMetric, encodeNestedDoubles, toKeyValues } from './wire.ts';

const API = '/api/2.0/mlflow';
const NATIVE = '/api/trove/v1';

/**
 * Typed client of the MLflow tracking API a Trove server serves, plus Trove's native nested
 * logging. Entities come back exactly as on the wire (`@trove/protocol` types; int64 values
 * beyond 2^53 as BigInt). Failures throw `TroveError` with the server's `error_code`.
 *
 * @example
 * const client = new TrackingClient({ trackingUri: 'http://127.0.0.1:5000/w/team-a' });
 * const experimentId = await client.createExperiment('demo');
 * const run = await client.createRun({ experimentId, runName: 'baseline' });
 * await client.logMetric(run.info.run_id, 'loss', 0.42, { step: 1 });
 * for await (const r of client.iterateRuns({ experimentIds: [experimentId] })) console.log(r.info.run_name);
 */
export class TrackingClient extends ExperimentsClient {
  /** Run id → artifact_uri (fixed for a run's life), so uploads cost one `runs/get` per run. */
  private readonly artifactRoots = new Map<string, string>();

  /** A client configured from `MLFLOW_TRACKING_URI`/`_TOKEN`/`_USERNAME`/`_PASSWORD`, overridden by `options`. */
  static fromEnv(options: HttpClientOptions = {}): TrackingClient {
    return new TrackingClient({ ...optionsFromEnv(), ...options });
  }

  // ── runs ─────────────────────────────────────────────────────────────────────────────────
  /** Creates a run (status RUNNING, start time now unless given). */
  async createRun(options: T.CreateRunOptions = {}): Promise<Run> {
    const body = {
      experiment_id: options.experimentId,
      user_id: options.userId,
      run_name: options.runName,
      start_time: options.startTime ?? Date.now(),
      tags: toKeyValues(options.tags),
    };
    const { run } = await this.http.post<{ run: Run }>(`${API}/runs/create`, body);
    this.artifactRoots.set(run.info.run_id, run.info.artifact_uri);
    return run;
  }
  /** A run with its latest metrics, params, tags, inputs and outputs (deleted runs too). */
  async getRun(runId: string): Promise<Run> {
    const { run } = await this.http.get<{ run: Run }>(`${API}/runs/get`, { run_id: runId });
    this.artifactRoots.set(run.info.run_id, run.info.artifact_uri);
    return run;
  }
  /** Changes status, end time and/or name; resolves to the updated info. */
  async updateRun(runId: string, options: T.UpdateRunOptions): Promise<RunInfo> {
    const body = { run_id: runId, status: options.status, end_time: options.endTime, run_name: options.runName };
    return (await this.http.post<{ run_info: RunInfo }>(`${API}/runs/update`, body)).run_info;
  }
  async deleteRun(runId: string): Promise<void> {
    await this.http.post(`${API}/runs/delete`, { run_id: runId });
  }
  async restoreRun(runId: string): Promise<void> {
    await this.http.post(`${API}/runs/restore`, { run_id: runId });
  }
  /** One page of runs (`maxResults` per page, default 1000). */
  async searchRuns(options: T.SearchRunsOptions): Promise<T.RunsPage> {
    const o = options;
    const body = {
      experiment_ids: o.experimentIds,
      filter: o.filter,
      run_view_type: o.runViewType,
      max_results: o.maxResults ?? 1000,
      order_by: o.orderBy,
      page_token: o.pageToken,
    };
    const res = await this.http.post<{ runs?: Run[]; next_page_token?: string }>(`${API}/runs/search`, body);
    return { runs: res.runs ?? [], nextPageToken: res.next_page_token || undefined };
  }
  /** Every matching run, fetching pages of `maxResults` as the iteration goes. */
  iterateRuns(options: Omit<T.SearchRunsOptions, 'pageToken'>): AsyncGenerator<Run, void, undefined> {
    return paginate(async (pageToken) => {
      const page = await this.searchRuns({ ...options, pageToken });
      return { items: page.runs, nextPageToken: page.nextPageToken };
    });
  }
  /** Logs one metric point (NaN and ±Infinity allowed). */
  async logMetric(runId: string, key: string, value: number, options: T.LogMetricOptions = {}): Promise<void> {
    await this.http.post(`${API}/runs/log-metric`, { run_id: runId, ...encodeMetric({ key, value, ...options }) });
  }
  /** Logs a param (stringified); params are immutable, a different value throws INVALID_PARAMETER_VALUE. */
  async logParam(runId: string, key: string, value: string | number | boolean): Promise<void> {
    await this.http.post(`${API}/runs/log-parameter`, { run_id: runId, key, value: String(value) });
  }
  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.http.post(`${API}/runs/set-tag`, { run_id: runId, key, value });
  }
  async deleteTag(runId: string, key: string): Promise<void> {
    await this.http.post(`${API}/runs/delete-tag`, { run_id: runId, key });
  }
  /** Logs metrics, params and tags with `runs/log-batch`, in as many requests as MLflow's per-request limits need. */
  async logBatch(runId: string, input: T.LogBatchInput): Promise<void> {
    const now = Date.now();
    const metrics = (input.metrics ?? []).map((m) => encodeMetric(m, now));
    for (const chunk of chunkBatch(metrics, toKeyValues(input.params), toKeyValues(input.tags))) {
      await this.http.post(`${API}/runs/log-batch`, { run_id: runId, ...chunk });
    }
  }
  /** Links datasets (and, MLflow 3, logged models) to a run as inputs. */
  async logInputs(runId: string, input: T.LogInputsInput): Promise<void> {
    await this.http.post(`${API}/runs/log-inputs`, { run_id: runId, datasets: input.datasets, models: input.models });
  }

  // ── metric history ───────────────────────────────────────────────────────────────────────
  /** Every point of a metric, ordered by timestamp, step, value; pages of `pageSize` (default 25 000) fetched lazily. */
  iterateMetricHistory(runId: string, key: string, pageSize = 25_000): AsyncGenerator<Metric, void, undefined> {
    return paginate(async (pageToken) => {
      const res = await this.http.get<{ metrics?: Metric[]; next_page_token?: string }>(`${API}/metrics/get-history`, {
        run_id: runId,
        metric_key: key,
        max_results: pageSize,
        page_token: pageToken,
      });
      return { items: res.metrics ?? [], nextPageToken: res.next_page_token };
    });
  }
  /** The full history of a metric (all pages). Unknown keys give `[]`. */
  async getMetricHistory(runId: string, key: string, pageSize = 25_000): Promise<Metric[]> {
    const out: Metric[] = [];
    for await (const m of this.iterateMetricHistory(runId, key, pageSize)) out.push(m);
    return out;
  }
  /** Down-sampled history of up to 100 runs (`get-history-bulk-interval`): every run's points at ≤ `maxResults` evenly spread steps. */
  async sampledHistory(
    runIds: string | string[],
    key: string,
    options: T.SampledHistoryOptions = {},
  ): Promise<T.MetricWithRunId[]> {
    const query = {
      run_ids: typeof runIds === 'string' ? [runIds] : runIds,
      metric_key: key,
      max_results: options.maxResults,
      start_step: options.startStep,
      end_step: options.endStep,
    };
    return (
      (await this.http.get<{ metrics?: T.MetricWithRunId[] }>(`${API}/metrics/get-history-bulk-interval`, query))
        .metrics ?? []
    );
  }

  // ── artifacts (through the server's mlflow-artifacts proxy) ──────────────────────────────
  /** The run's `artifact_uri` (cached per run). */
  async artifactUri(runId: string): Promise<string> {
    return this.artifactRoots.get(runId) ?? (await this.getRun(runId)).info.artifact_uri;
  }
  /** Writes `body` (bytes, text, or a Node/web stream) to `artifactPath` in the run's artifacts. */
  async uploadArtifact(runId: string, artifactPath: string, body: artifacts.ArtifactBody): Promise<void> {
    await artifacts.uploadArtifact(this.http, await this.artifactUri(runId), artifactPath, body);
  }
  /** Uploads a local file to `<artifactDir>/<file name>` like `mlflow.log_artifact`; resolves to its artifact path. */
  async logArtifact(runId: string, localPath: string, artifactDir = ''): Promise<string> {
    return artifacts.uploadFile(this.http, await this.artifactUri(runId), localPath, artifactDir);
  }
  /** Entries of a directory of the run's artifacts, paths relative to the run's root. */
  listArtifacts(runId: string, path?: string): Promise<FileInfo[]> {
    return artifacts.listRunArtifacts(this.http, runId, path);
  }
  async downloadArtifact(runId: string, artifactPath: string): Promise<Buffer> {
    return artifacts.downloadArtifact(this.http, await this.artifactUri(runId), artifactPath);
  }
  async downloadArtifactToFile(runId: string, artifactPath: string, localPath: string): Promise<void> {
    await artifacts.downloadArtifactToFile(this.http, await this.artifactUri(runId), artifactPath, localPath);
  }

  // ── Trove native API ─────────────────────────────────────────────────────────────────────
  /** Logs nested params/metrics/tags in one request; keys are stored as `/` paths and param types are kept. */
  async logNested(runId: string, body: T.NestedLog): Promise<T.NestedLogResult> {
    const metrics = body.metrics === undefined ? undefined : encodeNestedDoubles(body.metrics);
    return this.http.post<T.NestedLogResult>(`${NATIVE}/runs/${encodeURIComponent(runId)}/log`, { ...body, metrics });
  }
  /** The run's params with their native types, flat (`params`) and nested (`tree`). */
  async getTypedParams(runId: string): Promise<T.TypedParams> {
    return this.http.get<T.TypedParams>(`${NATIVE}/runs/${encodeURIComponent(runId)}/params`);
  }
}
