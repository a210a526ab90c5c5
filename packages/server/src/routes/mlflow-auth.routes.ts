import { MlflowAuth } from '@trove/protocol';
import { type Access, ADMIN } from '../auth/route-access.ts';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

const self: Access = { kind: 'self', field: 'username' };
const experimentManage: Access = {
  kind: 'experiment',
  need: 'manage',
  from: ({ input }) => input.experiment_id as string | undefined,
};
const modelManage: Access = { kind: 'model', need: 'manage', from: ({ input }) => input.name as string | undefined };

/**
 * MLflow's basic-auth REST API (`mlflow server --app-name basic-auth`), so that
 * `mlflow.server.get_app_client("basic-auth", uri)` manages Trove's users and permissions.
 * Mounted only when auth is on, as MLflow mounts it only in the auth app.
 */
export function registerMlflowAuthRoutes(r: Router, { auth }: Services): void {
  const { identity, grants } = auth;
  const rpc = r.json.bind(r);
  const route = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, access: Access) => ({
    method,
    path,
    api: 'mlflow' as const,
    access,
  });

  rpc({ ...route('POST', '/users/create', ADMIN), spec: MlflowAuth.CreateUser }, async ({ input }) => {
    const user = await identity.createUser(input.username, input.password);
    return { user: await grants.userJson(user.username) };
  });
  rpc({ ...route('GET', '/users/get', self), spec: MlflowAuth.Username }, async ({ input }) => ({
    user: await grants.userJson(input.username ?? ''),
  }));
  rpc({ ...route('PATCH', '/users/update-password', self), spec: MlflowAuth.UpdateUserPassword }, async ({ input }) =>
    identity.updatePassword(input.username ?? '', input.password),
  );
  rpc({ ...route('PATCH', '/users/update-admin', ADMIN), spec: MlflowAuth.UpdateUserAdmin }, async ({ input }) =>
    identity.setAdmin(input.username ?? '', input.is_admin === true),
  );
  rpc({ ...route('DELETE', '/users/delete', ADMIN), spec: MlflowAuth.Username }, async ({ input }) =>
    identity.deleteUser(input.username ?? ''),
  );

  rpc(
    { ...route('POST', '/experiments/permissions/create', experimentManage), spec: MlflowAuth.ExperimentPermission },
    async ({ workspace, input }) => ({
      experiment_permission: await grants.createExperimentPermission(workspace, input),
    }),
  );
  rpc(
    { ...route('GET', '/experiments/permissions/get', experimentManage), spec: MlflowAuth.ExperimentPermissionKey },
    async ({ workspace, input }) => ({ experiment_permission: await grants.getExperimentPermission(workspace, input) }),
  );
  rpc(
    { ...route('PATCH', '/experiments/permissions/update', experimentManage), spec: MlflowAuth.ExperimentPermission },
    async ({ workspace, input }) => grants.updateExperimentPermission(workspace, input),
  );
  rpc(
    {
      ...route('DELETE', '/experiments/permissions/delete', experimentManage),
      spec: MlflowAuth.ExperimentPermissionKey,
    },
    async ({ workspace, input }) => grants.deleteExperimentPermission(workspace, input),
  );

  rpc(
    { ...route('POST', '/registered-models/permissions/create', modelManage), spec: MlflowAuth.ModelPermission },
    async ({ workspace, input }) => ({
      registered_model_permission: await grants.createModelPermission(workspace, input),
    }),
  );
  rpc(
    { ...route('GET', '/registered-models/permissions/get', modelManage), spec: MlflowAuth.ModelPermissionKey },
    async ({ workspace, input }) => ({
      registered_model_permission: await grants.getModelPermission(workspace, input),
    }),
  );
  rpc(
    { ...route('PATCH', '/registered-models/permissions/update', modelManage), spec: MlflowAuth.ModelPermission },
    async ({ workspace, input }) => grants.updateModelPermission(workspace, input),
  );
  rpc(
    { ...route('DELETE', '/registered-models/permissions/delete', modelManage), spec: MlflowAuth.ModelPermissionKey },
    async ({ workspace, input }) => grants.deleteModelPermission(workspace, input),
  );
}
