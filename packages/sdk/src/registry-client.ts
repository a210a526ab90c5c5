import type { ModelVersion, RegisteredModel } from '@trove/protocol';
import type { HttpClient } from './http-client.ts';
import { paginate } from './pages.ts';

const API = '/api/2.0/mlflow';

/** Options of `registered-models/search` and `model-versions/search`. */
export interface RegistrySearchOptions {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
}

/**
 * The model registry half of the MLflow API (registered models, versions, stages, aliases), on
 * the transport of a {@link TrackingClient} (`new RegistryClient(client.http)`).
 *
 * @example
 * const registry = new RegistryClient(client.http);
 * const champion = await registry.getModelVersionByAlias('fraud', 'champion');
 */
export class RegistryClient {
  constructor(readonly http: HttpClient) {}

  /** Every matching registered model, fetched a page at a time. */
  iterateRegisteredModels(options: RegistrySearchOptions = {}): AsyncGenerator<RegisteredModel, void, undefined> {
    return paginate(async (pageToken) => {
      const res = await this.http.get<{ registered_models?: RegisteredModel[]; next_page_token?: string }>(
        `${API}/registered-models/search`,
        {
          filter: options.filter,
          order_by: options.orderBy,
          max_results: options.maxResults ?? 1000,
          page_token: pageToken,
        },
      );
      return { items: res.registered_models ?? [], nextPageToken: res.next_page_token || undefined };
    });
  }
  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return (await this.http.get<{ registered_model: RegisteredModel }>(`${API}/registered-models/get`, { name }))
      .registered_model;
  }
  /** Every matching model version (`name = 'fraud'` for one model's), fetched a page at a time. */
  iterateModelVersions(options: RegistrySearchOptions = {}): AsyncGenerator<ModelVersion, void, undefined> {
    return paginate(async (pageToken) => {
      const res = await this.http.get<{ model_versions?: ModelVersion[]; next_page_token?: string }>(
        `${API}/model-versions/search`,
        {
          filter: options.filter,
          order_by: options.orderBy,
          max_results: options.maxResults ?? 1000,
          page_token: pageToken,
        },
      );
      return { items: res.model_versions ?? [], nextPageToken: res.next_page_token || undefined };
    });
  }
  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return (await this.http.get<{ model_version: ModelVersion }>(`${API}/model-versions/get`, { name, version }))
      .model_version;
  }
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return (await this.http.get<{ model_version: ModelVersion }>(`${API}/registered-models/alias`, { name, alias }))
      .model_version;
  }
  /** The newest version in each of `stages` (all stages when empty) that has one. */
  async getLatestVersions(name: string, stages: string[] = []): Promise<ModelVersion[]> {
    const res = await this.http.post<{ model_versions?: ModelVersion[] }>(
      `${API}/registered-models/get-latest-versions`,
      {
        name,
        stages,
      },
    );
    return res.model_versions ?? [];
  }
  /** MLflow's stage transition; a review policy protecting the stage answers PERMISSION_DENIED. */
  async transitionStage(name: string, version: string, stage: string, archiveExisting = false): Promise<ModelVersion> {
    return (
      await this.http.post<{ model_version: ModelVersion }>(`${API}/model-versions/transition-stage`, {
        name,
        version,
        stage,
        archive_existing_versions: archiveExisting,
      })
    ).model_version;
  }
  /** Points `alias` at `version`; a review policy protecting the alias answers PERMISSION_DENIED. */
  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.http.post(`${API}/registered-models/alias`, { name, alias, version });
  }
  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.http.json('DELETE', `${API}/registered-models/alias`, { query: { name, alias } });
  }
  /** Where the version's files are: its source, or for a `models:/` source the resolved location. */
  async getDownloadUri(name: string, version: string): Promise<string> {
    return (await this.http.get<{ artifact_uri: string }>(`${API}/model-versions/get-download-uri`, { name, version }))
      .artifact_uri;
  }
}
