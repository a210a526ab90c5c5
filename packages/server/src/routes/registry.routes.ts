import { Registry } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

const some = <T>(list: T[]) => (list.length > 0 ? list : undefined);

export function registerRegistryRoutes(
  r: Router,
  { registeredModels: models, modelVersions: versions, auth }: Services,
): void {
  r.rpc(
    'POST',
    '/registered-models/create',
    Registry.CreateRegisteredModel,
    async ({ workspace, input, actor, caller }) => {
      const created = await models.create(workspace, input, actor);
      if (caller.user) await auth.grants.grantCreatorModel(workspace, created.name, caller.user.id);
      return { registered_model: created };
    },
  );
  r.rpc('GET', '/registered-models/get', Registry.ModelName, async ({ workspace, input }) => ({
    registered_model: await models.get(workspace, input.name),
  }));
  r.rpc('POST', '/registered-models/rename', Registry.RenameRegisteredModel, async ({ workspace, input, actor }) => {
    const renamed = await models.rename(workspace, input.name, input.new_name, actor);
    await auth.grants.modelRenamed(workspace, input.name, renamed.name);
    return { registered_model: renamed };
  });
  r.rpc('PATCH', '/registered-models/update', Registry.UpdateRegisteredModel, async ({ workspace, input, actor }) => ({
    registered_model: await models.update(workspace, input.name, input.description, actor),
  }));
  r.rpc('DELETE', '/registered-models/delete', Registry.ModelName, async ({ workspace, input, actor }) => {
    await models.remove(workspace, input.name, actor);
    // A new model of the same name starts with no grants.
    await auth.grants.modelDeleted(workspace, input.name);
  });
  r.rpc('GET', '/registered-models/search', Registry.SearchRegisteredModels, async ({ workspace, input, caller }) => {
    const visible = await auth.authorizer.visibleModels(caller, workspace);
    const { models: found, nextPageToken } = await models.search(workspace, input, visible);
    return { registered_models: some(found), next_page_token: nextPageToken };
  });
  for (const method of ['POST', 'GET'] as const) {
    r.rpc(
      method,
      '/registered-models/get-latest-versions',
      Registry.GetLatestVersions,
      async ({ workspace, input }) => ({
        model_versions: some(await models.latestVersions(workspace, input.name, input.stages)),
      }),
    );
  }
  r.rpc('POST', '/registered-models/set-tag', Registry.SetRegisteredModelTag, async ({ workspace, input, actor }) =>
    models.setTag(workspace, input.name, input.key, input.value ?? '', actor),
  );
  r.rpc(
    'DELETE',
    '/registered-models/delete-tag',
    Registry.DeleteRegisteredModelTag,
    async ({ workspace, input, actor }) => models.deleteTag(workspace, input.name, input.key, actor),
  );
  r.rpc('POST', '/registered-models/alias', Registry.SetAlias, async ({ workspace, input, actor }) =>
    models.setAlias(workspace, input.name, input.alias, input.version, actor),
  );
  r.rpc('DELETE', '/registered-models/alias', Registry.AliasRef, async ({ workspace, input, actor }) =>
    models.deleteAlias(workspace, input.name, input.alias, actor),
  );
  r.rpc('GET', '/registered-models/alias', Registry.AliasRef, async ({ workspace, input }) => ({
    model_version: await models.versionByAlias(workspace, input.name, input.alias),
  }));

  r.rpc('POST', '/model-versions/create', Registry.CreateModelVersion, async ({ workspace, input, actor }) => ({
    model_version: await versions.create(workspace, input, actor),
  }));
  r.rpc('GET', '/model-versions/get', Registry.ModelVersionRef, async ({ workspace, input }) => ({
    model_version: await versions.get(workspace, input.name, input.version),
  }));
  r.rpc('PATCH', '/model-versions/update', Registry.UpdateModelVersion, async ({ workspace, input, actor }) => ({
    model_version: await versions.update(workspace, input.name, input.version, input.description, actor),
  }));
  r.rpc('POST', '/model-versions/transition-stage', Registry.TransitionStage, async ({ workspace, input, actor }) => ({
    model_version: await versions.transition(
      workspace,
      input.name,
      input.version,
      input.stage,
      input.archive_existing_versions ?? false,
      actor,
    ),
  }));
  r.rpc('DELETE', '/model-versions/delete', Registry.ModelVersionRef, async ({ workspace, input, actor }) =>
    versions.remove(workspace, input.name, input.version, actor),
  );
  r.rpc('GET', '/model-versions/search', Registry.SearchModelVersions, async ({ workspace, input, caller }) => {
    const visible = await auth.authorizer.visibleModels(caller, workspace);
    const { versions: found, nextPageToken } = await versions.search(workspace, input, visible);
    return { model_versions: some(found), next_page_token: nextPageToken };
  });
  r.rpc('GET', '/model-versions/get-download-uri', Registry.ModelVersionRef, async ({ workspace, input }) => ({
    artifact_uri: await versions.downloadUri(workspace, input.name, input.version),
  }));
  r.rpc('POST', '/model-versions/set-tag', Registry.SetModelVersionTag, async ({ workspace, input, actor }) =>
    versions.setTag(workspace, input.name, input.version, input.key, input.value ?? '', actor),
  );
  r.rpc('DELETE', '/model-versions/delete-tag', Registry.DeleteModelVersionTag, async ({ workspace, input, actor }) =>
    versions.deleteTag(workspace, input.name, input.version, input.key, actor),
  );
}
