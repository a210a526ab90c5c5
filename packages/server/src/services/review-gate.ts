import { TroveError } from '@trove/protocol';
import type { ModelVersionService } from './model-version.service.ts';
import {
  canonicalStage,
  parseVersion,
  type RegisteredModelService,
  validateAlias,
} from './registered-model.service.ts';
import type { ReviewPolicyService } from './review-policy.service.ts';

function denied(name: string, version: string, what: string, n: number, body: string): TroveError {
  const path = `/api/trove/v1/registered-models/${encodeURIComponent(name)}/versions/${version}/requests`;
  return new TroveError(
    'PERMISSION_DENIED',
    `${what} needs ${n} approval(s) under the review policy of registered model '${name}'. Request it with POST ${path} ${body} and have it approved.`,
  );
}

/**
 * The MLflow-facing registry services, with direct stage transitions and alias changes refused
 * where the model's review policy requires approval. Without a policy nothing changes, so stock
 * MLflow clients behave as against MLflow. Approved requests apply through the ungated services.
 */
export function gateRegistry(
  models: RegisteredModelService,
  versions: ModelVersionService,
  policies: ReviewPolicyService,
) {
  const gatedVersions: ModelVersionService = {
    ...versions,
    async transition(ws, name, version, stage, archiveExisting, actor) {
      const target = canonicalStage(stage);
      parseVersion(version);
      const n = await policies.required((await models.getRow(ws, name)).id, 'stage', target);
      if (n > 0)
        throw denied(
          name,
          version,
          `Transitioning to stage '${target}'`,
          n,
          JSON.stringify({ stage: target, archive_existing_versions: archiveExisting }),
        );
      return versions.transition(ws, name, version, stage, archiveExisting, actor);
    },
  };
  const gatedModels: RegisteredModelService = {
    ...models,
    async setAlias(ws, name, alias, version, actor) {
      validateAlias(alias);
      parseVersion(version);
      const n = await policies.required((await models.getRow(ws, name)).id, 'alias', alias);
      if (n > 0) throw denied(name, version, `Setting alias '${alias}'`, n, JSON.stringify({ alias }));
      return models.setAlias(ws, name, alias, version, actor);
    },
    async deleteAlias(ws, name, alias, actor) {
      const model = await models.getRow(ws, name);
      const n = await policies.required(model.id, 'alias', alias);
      if (n > 0) {
        const current = await models.versionByAlias(ws, name, alias).catch(() => undefined);
        if (current)
          throw denied(
            name,
            current.version,
            `Deleting alias '${alias}'`,
            n,
            JSON.stringify({ alias, remove_alias: true }),
          );
      }
      return models.deleteAlias(ws, name, alias, actor);
    },
  };
  return { models: gatedModels, versions: gatedVersions };
}
