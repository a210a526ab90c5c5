import { Readable } from 'node:stream';
import type {
  ImportArtifact,
  ImportExperiment,
  ImportLoggedModel,
  ImportMetricPoint,
  ImportModel,
  ImportModelVersion,
  ImportRun,
  KeyValue,
  LoggedModel,
  MetricValue,
  ModelVersion,
  RegisteredModel,
  Run,
} from '@trove/protocol';
import { parseJson } from '@trove/protocol';
import type { ImportSource } from './import-source.ts';

/** How the REST reader reaches a server: over HTTP, or injected into an app in this process. */
export interface RestTransport {
  json(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
  stream(path: string): Promise<Readable>;
}

/** MLflow's client variables: a bearer token, or a user name and password (basic auth). */
export interface RestAuth {
  token?: string;
  username?: string;
  password?: string;
}

export function authFromEnv(env: NodeJS.ProcessEnv = process.env): RestAuth {
  return {
    token: env.MLFLOW_TRACKING_TOKEN,
    username: env.MLFLOW_TRACKING_USERNAME,
    password: env.MLFLOW_TRACKING_PASSWORD,
  };
}

/** A reply other than 2xx, with its status and body, so a reader can tell "this server has no such API". */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
  }
}

export function httpTransport(baseUrl: string, auth: RestAuth = {}): RestTransport {
  const base = baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  else if (auth.username !== undefined && auth.password !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      const text = await res.text();
      throw new HttpError(`${method} ${base}${path}: HTTP ${res.status} ${text.slice(0, 300)}`, res.status, text);
    }
    return res;
  }
  return {
    // MLflow writes NaN bare in some replies: parse as Trove's server reads bodies.
    json: async (method, path, body) => parseJson(await (await send(method, path, body)).text()),
    async stream(path) {
      const res = await send('GET', path);
      return res.body ? Readable.fromWeb(res.body as import('node:stream/web').ReadableStream) : Readable.from([]);
    },
  };
}

const API = '/api/2.0/mlflow';
const q = encodeURIComponent;

function metricNumber(v: MetricValue | string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(v);
}

const num = (v: unknown) => Number(v ?? 0);

/** What MLflow 2.x answers for an MLflow 3 route: 404, with `ENDPOINT_NOT_FOUND` or Flask's HTML page. */
function isMissingEndpoint(e: unknown): boolean {
  return e instanceof HttpError && (e.status === 404 || e.body.includes('ENDPOINT_NOT_FOUND'));
}

function toImportLoggedModel(m: LoggedModel): ImportLoggedModel {
  const i = m.info;
  return {
    model_id: i.model_id,
    experiment_id: i.experiment_id,
    name: i.name,
    artifact_uri: i.artifact_uri,
    status: i.status,
    status_message: i.status_message,
    model_type: i.model_type,
    source_run_id: i.source_run_id,
    creation_time: num(i.creation_timestamp_ms),
    last_update_time: num(i.last_updated_timestamp_ms),
    params: m.data?.params ?? [],
    tags: i.tags ?? [],
    metrics: (m.data?.metrics ?? []).map((p) => ({
      key: p.key,
      value: metricNumber(p.value),
      timestamp: num(p.timestamp),
      step: num(p.step),
      run_id: p.run_id,
      dataset_name: p.dataset_name,
      dataset_digest: p.dataset_digest,
    })),
  };
}

/** An MLflow tracking server (or Trove, which speaks the same API) read through MLflow's REST API. */
export async function openMlflowRestSource(url: string, auth: RestAuth = {}): Promise<ImportSource> {
  return restSource(httpTransport(url, auth), `MLflow server ${url}`);
}

export async function restSource(t: RestTransport, description: string): Promise<ImportSource> {
  let version = 'unknown';
  try {
    version = String(await t.stream('/version').then(async (s) => (await s.toArray()).join('').trim()));
  } catch {
    // MLflow before 2.x has no /version.
  }
  async function* pages<T>(fetchPage: (token: string | undefined) => Promise<{ items: T[]; next?: string }>) {
    let token: string | undefined;
    do {
      const page = await fetchPage(token);
      yield* page.items;
      token = page.next || undefined;
    } while (token);
  }
  const metricKeys = new Map<string, string[]>();
  // Cleared by the first experiment whose logged-models search says the server has no such API.
  let hasLoggedModels = true;

  const source: ImportSource = {
    description,
    version: `MLflow ${version}`,
    async experiments() {
      const out: ImportExperiment[] = [];
      for await (const e of pages(async (page_token) => {
        const r = (await t.json('POST', `${API}/experiments/search`, {
          max_results: 1000,
          view_type: 'ALL',
          page_token,
        })) as { experiments?: ImportExperiment[]; next_page_token?: string };
        return { items: r.experiments ?? [], next: r.next_page_token };
      }))
        out.push({
          ...e,
          creation_time: num(e.creation_time),
          last_update_time: num(e.last_update_time),
        });
      return out.sort((a, b) => Number(a.experiment_id) - Number(b.experiment_id));
    },
    async *runs(experimentId) {
      for await (const r of pages(async (page_token) => {
        const res = (await t.json('POST', `${API}/runs/search`, {
          experiment_ids: [experimentId],
          run_view_type: 'ALL',
          max_results: 1000,
          order_by: ['attributes.start_time ASC'],
          page_token,
        })) as { runs?: Run[]; next_page_token?: string };
        return { items: res.runs ?? [], next: res.next_page_token };
      })) {
        const info = r.info;
        metricKeys.set(
          info.run_id,
          (r.data.metrics ?? []).map((m) => m.key),
        );
        const run: ImportRun = {
          info: {
            ...info,
            start_time: num(info.start_time),
            end_time: info.end_time === undefined ? undefined : num(info.end_time),
          },
          params: (r.data.params ?? []) as KeyValue[],
          tags: (r.data.tags ?? []) as KeyValue[],
          inputs: r.inputs?.dataset_inputs ?? [],
        };
        if (r.inputs?.model_inputs?.length)
          run.modelInputs = r.inputs.model_inputs.map((m) => ({ model_id: m.model_id }));
        if (r.outputs?.model_outputs?.length)
          run.modelOutputs = r.outputs.model_outputs.map((m) => ({ model_id: m.model_id, step: num(m.step) }));
        yield run;
      }
    },
    async *metrics(run) {
      for (const key of metricKeys.get(run.info.run_id) ?? []) {
        const points: ImportMetricPoint[] = [];
        for await (const m of pages(async (page_token) => {
          const qs = `run_id=${q(run.info.run_id)}&metric_key=${q(key)}&max_results=25000${page_token ? `&page_token=${q(page_token)}` : ''}`;
          const res = (await t.json('GET', `${API}/metrics/get-history?${qs}`)) as {
            metrics?: { key: string; value: MetricValue; timestamp: unknown; step: unknown }[];
            next_page_token?: string;
          };
          return { items: res.metrics ?? [], next: res.next_page_token };
        }))
          points.push({ key, value: metricNumber(m.value), timestamp: num(m.timestamp), step: num(m.step) });
        if (points.length > 0) yield points;
      }
    },
    async metricCount(run) {
      let n = 0;
      for await (const page of source.metrics(run)) n += page.length;
      return n;
    },
    async models() {
      const out: ImportModel[] = [];
      for await (const m of pages(async (page_token) => {
        const res = (await t.json(
          'GET',
          `${API}/registered-models/search?max_results=1000${page_token ? `&page_token=${q(page_token)}` : ''}`,
        )) as { registered_models?: RegisteredModel[]; next_page_token?: string };
        return { items: res.registered_models ?? [], next: res.next_page_token };
      })) {
        // `get` carries the aliases on every server version; search does not on some.
        const full = (
          (await t.json('GET', `${API}/registered-models/get?name=${q(m.name)}`)) as {
            registered_model: RegisteredModel;
          }
        ).registered_model;
        const versions: ImportModelVersion[] = [];
        for await (const v of pages(async (page_token) => {
          const filter = `name='${m.name.replace(/'/g, "\\'")}'`;
          const res = (await t.json(
            'GET',
            `${API}/model-versions/search?filter=${q(filter)}&max_results=10000${page_token ? `&page_token=${q(page_token)}` : ''}`,
          )) as { model_versions?: ModelVersion[]; next_page_token?: string };
          return { items: res.model_versions ?? [], next: res.next_page_token };
        }))
          versions.push({
            ...v,
            creation_timestamp: num(v.creation_timestamp),
            last_updated_timestamp: num(v.last_updated_timestamp),
          });
        versions.sort((a, b) => Number(a.version) - Number(b.version));
        out.push({
          model: {
            ...full,
            creation_timestamp: num(full.creation_timestamp),
            last_updated_timestamp: num(full.last_updated_timestamp),
            latest_versions: undefined,
          },
          versions,
        });
      }
      return out;
    },
    async *artifacts(run) {
      async function* walk(path: string): AsyncIterable<{ path: string; size: number }> {
        const res = (await t.json(
          'GET',
          `${API}/artifacts/list?run_id=${q(run.info.run_id)}${path ? `&path=${q(path)}` : ''}`,
        )) as { files?: { path: string; is_dir: boolean; file_size?: unknown }[] };
        for (const f of res.files ?? []) {
          if (f.is_dir) yield* walk(f.path);
          else yield { path: f.path, size: num(f.file_size) };
        }
      }
      yield* walk('');
    },
    openArtifact: (run, path) => t.stream(`/get-artifact?run_uuid=${q(run.info.run_id)}&path=${q(path)}`),
    async *loggedModels(experimentId) {
      if (!hasLoggedModels) return;
      const models = pages(async (page_token) => {
        const res = (await t.json('POST', `${API}/logged-models/search`, {
          experiment_ids: [experimentId],
          max_results: 100,
          page_token,
        })) as { models?: LoggedModel[]; next_page_token?: string };
        return { items: res.models ?? [], next: res.next_page_token };
      });
      try {
        for await (const m of models) yield toImportLoggedModel(m);
      } catch (e) {
        if (!isMissingEndpoint(e)) throw e;
        hasLoggedModels = false;
      }
    },
    async *loggedModelArtifacts(model) {
      async function* walk(path: string): AsyncIterable<ImportArtifact> {
        for await (const f of pages(async (page_token) => {
          const qs = [
            path ? `artifact_directory_path=${q(path)}` : '',
            page_token ? `page_token=${q(page_token)}` : '',
          ].filter(Boolean);
          const res = (await t.json(
            'GET',
            `${API}/logged-models/${q(model.model_id)}/artifacts/directories${qs.length ? `?${qs.join('&')}` : ''}`,
          )) as { files?: { path: string; is_dir: boolean; file_size?: unknown }[]; next_page_token?: string };
          return { items: res.files ?? [], next: res.next_page_token };
        })) {
          if (f.is_dir) yield* walk(f.path);
          else yield { path: f.path, size: num(f.file_size) };
        }
      }
      yield* walk('');
    },
    openLoggedModelArtifact: (model, path) =>
      t.stream(`/ajax-api/2.0/mlflow/logged-models/${q(model.model_id)}/artifacts/files?artifact_file_path=${q(path)}`),
    close: async () => {},
  };
  return source;
}
