import { Deployments, invalidParam, validateLength } from '@trove/protocol';
import {
  currentDeployments,
  type DeploymentRow,
  insertDeployment,
  listDeployments,
  runInTransaction,
  type Store,
} from '@trove/store';
import type { ModelVersionService } from './model-version.service.ts';
import type { RegisteredModelService } from './registered-model.service.ts';
import { recordEvent } from './registry-events.ts';
import type { Workspace } from './workspace.service.ts';

export interface DeploymentInput {
  name: string;
  version: number | bigint;
  environment: string;
  status?: Deployments.DeploymentStatus;
  url?: string;
  description?: string;
}

/** The most history records the model page lists beside the current one of each environment. */
const HISTORY_LIMIT = 200;
const hasControlChars = (s: string) => [...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);

function present(row: DeploymentRow, name: string, current: boolean): Deployments.Deployment {
  return {
    deployment_id: String(row.id),
    name,
    version: String(row.version),
    environment: row.environment,
    status: row.status as Deployments.DeploymentStatus,
    ...(row.url === null ? {} : { url: row.url }),
    ...(row.description === null ? {} : { description: row.description }),
    ...(row.actor === null ? {} : { user_id: row.actor }),
    time: Number(row.time),
    current,
  };
}

function checkInput(input: DeploymentInput): void {
  const env = input.environment.trim();
  if (env === '' || hasControlChars(env)) throw invalidParam(`Invalid environment '${input.environment}'.`);
  validateLength(env, Deployments.DEPLOYMENT_ENVIRONMENT_MAX_LENGTH, 'environment');
  if (input.url !== undefined && input.url !== '') {
    validateLength(input.url, Deployments.DEPLOYMENT_URL_MAX_LENGTH, 'url');
    let scheme = '';
    try {
      scheme = new URL(input.url).protocol;
    } catch {
      // reported below
    }
    if (scheme !== 'http:' && scheme !== 'https:') throw invalidParam(`Invalid url '${input.url}': an http(s) URL.`);
  }
  if (input.description !== undefined)
    validateLength(input.description, Deployments.DEPLOYMENT_DESCRIPTION_MAX_LENGTH, 'description');
}

/**
 * Deployments of model versions, as CD systems record them: an append-only history whose newest
 * record per environment is what runs there. Recording one is a registry event (`deployment`
 * `created`), so webhooks and the activity log see it.
 */
export function createDeploymentService(store: Store, models: RegisteredModelService, versions: ModelVersionService) {
  async function record(
    ws: Workspace,
    input: DeploymentInput,
    actor: string | undefined,
  ): Promise<Deployments.DeploymentResponse> {
    checkInput(input);
    const mv = await versions.getRow(ws, input.name, String(input.version));
    const environment = input.environment.trim();
    const row = await runInTransaction(store, async (tx) => {
      const d = await insertDeployment(tx, {
        workspace_id: ws.id,
        model_id: mv.model_id,
        model_name: input.name,
        version: mv.version,
        environment,
        status: input.status ?? 'running',
        url: input.url || null,
        description: input.description ?? null,
        actor: actor ?? null,
        time: Date.now(),
      });
      await recordEvent(tx, {
        workspaceId: ws.id,
        modelId: mv.model_id,
        modelName: input.name,
        version: mv.version,
        entity: 'deployment',
        action: 'created',
        actor,
        payload: {
          name: input.name,
          version: String(mv.version),
          environment,
          status: d.status,
          ...(d.url === null ? {} : { url: d.url }),
          deployment_id: String(d.id),
        },
      });
      return d;
    });
    return { deployment: present(row, input.name, true) };
  }

  async function list(ws: Workspace, name: string): Promise<Deployments.ListDeploymentsResponse> {
    const model = await models.getRow(ws, name);
    const current = await currentDeployments(store.db, model.id);
    const currentIds = new Set(current.map((d) => d.id));
    const history = (await listDeployments(store.db, model.id, HISTORY_LIMIT)).filter((d) => !currentIds.has(d.id));
    return {
      deployments: [
        ...current.map((d) => present(d, model.name, true)),
        ...history.map((d) => present(d, model.name, false)),
      ],
    };
  }

  return { record, list };
}

export type DeploymentService = ReturnType<typeof createDeploymentService>;
