import type { Experiment } from '@trove/protocol';
import { HttpClient, type HttpClientOptions } from './http-client.ts';
import { paginate } from './pages.ts';
import type * as T from './types.ts';
import { toKeyValues } from './wire.ts';

const API = '/api/2.0/mlflow';

/**
 * The experiment half of the MLflow tracking API; {@link TrackingClient} extends it with runs,
 * metrics, artifacts and Trove's native endpoints (use that class).
 *
 * @example
 * const id = await client.createExperiment('demo', { tags: { team: 'vision' } });
 * for await (const e of client.iterateExperiments({ filter: "name LIKE 'demo%'" })) console.log(e.name);
 */
export class ExperimentsClient {
  /** The transport: base URL, auth, retries. */
  readonly http: HttpClient;

  constructor(options: HttpClientOptions | HttpClient = {}) {
    this.http = options instanceof HttpClient ? options : new HttpClient(options);
  }

  /** Creates an experiment; resolves to its id. Throws RESOURCE_ALREADY_EXISTS for a taken name. */
  async createExperiment(name: string, options: T.CreateExperimentOptions = {}): Promise<string> {
    const body = { name, artifact_location: options.artifactLocation, tags: toKeyValues(options.tags) };
    return (await this.http.post<{ experiment_id: string }>(`${API}/experiments/create`, body)).experiment_id;
  }
  /** An experiment by id (deleted ones too). */
  async getExperiment(experimentId: string): Promise<Experiment> {
    return (await this.http.get<{ experiment: Experiment }>(`${API}/experiments/get`, { experiment_id: experimentId }))
      .experiment;
  }
  /** An experiment by name; throws RESOURCE_DOES_NOT_EXIST when there is none. */
  async getExperimentByName(name: string): Promise<Experiment> {
    return (
      await this.http.get<{ experiment: Experiment }>(`${API}/experiments/get-by-name`, { experiment_name: name })
    ).experiment;
  }
  /** One page of experiments (`maxResults` per page, default 1000). */
  async searchExperiments(options: T.SearchExperimentsOptions = {}): Promise<T.ExperimentsPage> {
    const body = {
      max_results: options.maxResults ?? 1000,
      page_token: options.pageToken,
      filter: options.filter,
      order_by: options.orderBy,
      view_type: options.viewType,
    };
    const res = await this.http.post<{ experiments?: Experiment[]; next_page_token?: string }>(
      `${API}/experiments/search`,
      body,
    );
    return { experiments: res.experiments ?? [], nextPageToken: res.next_page_token || undefined };
  }
  /** Every matching experiment, fetching pages of `maxResults` as the iteration goes. */
  iterateExperiments(
    options: Omit<T.SearchExperimentsOptions, 'pageToken'> = {},
  ): AsyncGenerator<Experiment, void, undefined> {
    return paginate(async (pageToken) => {
      const page = await this.searchExperiments({ ...options, pageToken });
      return { items: page.experiments, nextPageToken: page.nextPageToken };
    });
  }
  /** Renames an experiment. */
  async updateExperiment(experimentId: string, newName: string): Promise<void> {
    await this.http.post(`${API}/experiments/update`, { experiment_id: experimentId, new_name: newName });
  }
  /** Soft-deletes an experiment and its runs. */
  async deleteExperiment(experimentId: string): Promise<void> {
    await this.http.post(`${API}/experiments/delete`, { experiment_id: experimentId });
  }
  /** Restores a deleted experiment and its runs. */
  async restoreExperiment(experimentId: string): Promise<void> {
    await this.http.post(`${API}/experiments/restore`, { experiment_id: experimentId });
  }
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.http.post(`${API}/experiments/set-experiment-tag`, { experiment_id: experimentId, key, value });
  }
  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.http.post(`${API}/experiments/delete-experiment-tag`, { experiment_id: experimentId, key });
  }
}
