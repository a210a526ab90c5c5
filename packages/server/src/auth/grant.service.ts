import type { Identity, MlflowAuth } from '@trove/protocol';
import { alreadyExists, notFound } from '@trove/protocol';
import {
  deleteExperimentGrant,
  deleteModelGrant,
  deleteModelGrants,
  deleteWorkspaceRole,
  experimentGrantsOf,
  findExperiment,
  findExperimentGrant,
  findModelGrant,
  findRegisteredModel,
  grantsOnExperiment,
  grantsOnModel,
  listGroups,
  listUsers,
  listWorkspaceMembers,
  modelGrantsOf,
  type Principal,
  renameModelGrants,
  type Store,
  upsertExperimentGrant,
  upsertModelGrant,
  upsertWorkspaceRole,
  userModelGrants,
} from '@trove/store';
import type { Workspace } from '../services/workspace.service.ts';
import { experimentGrantKey } from './experiment-key.ts';
import type { IdentityService } from './identity.service.ts';
import { parsePermission, parseRole } from './levels.ts';

/**
 * Grants on experiments and registered models, and workspace roles: MLflow's permission API
 * (by username, its messages) and Trove's (users or groups).
 */
/** `grantsChanged` drops the authorizer's cached grants (credentials stay cached: they did not change). */
export function createGrantService(store: Store, identity: IdentityService, grantsChanged: () => void) {
  const db = store.db;

  /** The grant key of an existing experiment of `ws` ("0": the Default), or 404. */
  async function experimentId(ws: Workspace, id: string | undefined): Promise<string> {
    const key = experimentGrantKey(ws, id ?? '');
    // A key that is no experiment id (not decimal, or past int64) names no experiment.
    const row = /^\d{1,18}$/.test(key) ? await findExperiment(db, Number(key)) : undefined;
    if (!row || row.workspace_id !== ws.id) throw notFound(`No Experiment with id=${id} exists`);
    return key;
  }

  /**
   * MLflow's permission API names experiments it never checks exist; so does Trove's copy of it.
   * An experiment of another workspace, though, is not this workspace's to grant: grant keys are
   * server-wide, so a manager here would otherwise hand out access to it there.
   */
  async function mlflowKey(ws: Workspace, id: string | undefined): Promise<string> {
    const key = experimentGrantKey(ws, id ?? '');
    const row = /^\d{1,18}$/.test(key) ? await findExperiment(db, Number(key)) : undefined;
    if (row && row.workspace_id !== ws.id) throw notFound(`No Experiment with id=${id} exists`);
    return key;
  }

  async function modelName(ws: Workspace, name: string | undefined): Promise<string> {
    const row = name === undefined ? undefined : await findRegisteredModel(db, ws.id, name);
    if (!row) throw notFound(`Registered Model with name=${name} not found`);
    return row.name;
  }

  async function userPrincipal(username: string | undefined): Promise<{ p: Principal; id: number }> {
    const row = await identity.getUser(username ?? '');
    return { p: { kind: 'user', id: Number(row.id) }, id: Number(row.id) };
  }

  async function principal(who: { username?: string; group?: string }): Promise<Principal> {
    if (who.group !== undefined) return { kind: 'group', id: Number((await identity.getGroup(who.group)).id) };
    return (await userPrincipal(who.username)).p;
  }

  // MLflow's experiment permission API.
  async function createExperimentPermission(
    ws: Workspace,
    input: { experiment_id?: string; username?: string; permission?: string },
  ): Promise<MlflowAuth.ExperimentPermissionJson> {
    const permission = parsePermission(input.permission);
    const id = await mlflowKey(ws, input.experiment_id);
    const { p, id: userId } = await userPrincipal(input.username);
    if (await findExperimentGrant(db, id, p))
      throw alreadyExists(
        `Experiment permission (experiment_id=${input.experiment_id}, username=${input.username}) already exists.`,
      );
    await upsertExperimentGrant(db, id, p, permission);
    grantsChanged();
    return { experiment_id: String(input.experiment_id), user_id: userId, permission };
  }

  async function existingExperimentGrant(ws: Workspace, experiment: string | undefined, username: string | undefined) {
    const id = await mlflowKey(ws, experiment);
    const user = await identity.getUser(username ?? '').catch(() => undefined);
    const p: Principal | undefined = user ? { kind: 'user', id: Number(user.id) } : undefined;
    const row = p ? await findExperimentGrant(db, id, p) : undefined;
    if (!p || !row)
      throw notFound(`Experiment permission with experiment_id=${experiment} and username=${username} not found`);
    return { id, p, permission: row.permission };
  }

  async function getExperimentPermission(
    ws: Workspace,
    input: { experiment_id?: string; username?: string },
  ): Promise<MlflowAuth.ExperimentPermissionJson> {
    const g = await existingExperimentGrant(ws, input.experiment_id, input.username);
    return { experiment_id: String(input.experiment_id), user_id: g.p.id, permission: g.permission };
  }

  async function updateExperimentPermission(
    ws: Workspace,
    input: { experiment_id?: string; username?: string; permission?: string },
  ): Promise<void> {
    const permission = parsePermission(input.permission);
    const g = await existingExperimentGrant(ws, input.experiment_id, input.username);
    await upsertExperimentGrant(db, g.id, g.p, permission);
    grantsChanged();
  }

  async function deleteExperimentPermission(
    ws: Workspace,
    input: { experiment_id?: string; username?: string },
  ): Promise<void> {
    const g = await existingExperimentGrant(ws, input.experiment_id, input.username);
    await deleteExperimentGrant(db, g.id, g.p);
    grantsChanged();
  }

  // MLflow's registered model permission API.
  async function createModelPermission(
    ws: Workspace,
    input: { name?: string; username?: string; permission?: string },
  ): Promise<MlflowAuth.RegisteredModelPermissionJson> {
    const permission = parsePermission(input.permission);
    const name = input.name ?? '';
    const { p, id: userId } = await userPrincipal(input.username);
    if (await findModelGrant(db, ws.id, name, p))
      throw alreadyExists(`Registered model permission (name=${name}, username=${input.username}) already exists.`);
    await upsertModelGrant(db, ws.id, name, p, permission);
    grantsChanged();
    return { name, user_id: userId, permission };
  }

  async function existingModelGrant(ws: Workspace, name: string | undefined, username: string | undefined) {
    const user = await identity.getUser(username ?? '').catch(() => undefined);
    const p: Principal | undefined = user ? { kind: 'user', id: Number(user.id) } : undefined;
    const row = p && name !== undefined ? await findModelGrant(db, ws.id, name, p) : undefined;
    if (!p || !row || name === undefined)
      throw notFound(`Registered model permission with name=${name} and username=${username} not found`);
    return { name, p, permission: row.permission };
  }

  async function getModelPermission(
    ws: Workspace,
    input: { name?: string; username?: string },
  ): Promise<MlflowAuth.RegisteredModelPermissionJson> {
    const g = await existingModelGrant(ws, input.name, input.username);
    return { name: g.name, user_id: g.p.id, permission: g.permission };
  }

  async function updateModelPermission(
    ws: Workspace,
    input: { name?: string; username?: string; permission?: string },
  ): Promise<void> {
    const permission = parsePermission(input.permission);
    const g = await existingModelGrant(ws, input.name, input.username);
    await upsertModelGrant(db, ws.id, g.name, g.p, permission);
    grantsChanged();
  }

  async function deleteModelPermission(ws: Workspace, input: { name?: string; username?: string }): Promise<void> {
    const g = await existingModelGrant(ws, input.name, input.username);
    await deleteModelGrant(db, ws.id, g.name, g.p);
    grantsChanged();
  }

  /** MLflow's `users/get`: the user with every permission they hold. */
  async function userJson(username: string): Promise<MlflowAuth.UserJson> {
    const row = await identity.getUser(username);
    const p: Principal = { kind: 'user', id: Number(row.id) };
    const experiments = await experimentGrantsOf(db, [p]);
    const models = await userModelGrants(db, p.id);
    return {
      id: p.id,
      username: row.username,
      is_admin: Number(row.is_admin) === 1,
      experiment_permissions: experiments.map((g) => ({
        experiment_id: String(g.experimentId),
        user_id: p.id,
        permission: g.permission,
      })),
      registered_model_permissions: models.map((m) => ({ name: m.name, user_id: p.id, permission: m.permission })),
    };
  }

  // Trove's grants: users or groups.
  async function grant(
    ws: Workspace,
    input: { username?: string; group?: string; experiment_id?: string; registered_model?: string; permission: string },
  ): Promise<void> {
    const permission = parsePermission(input.permission);
    const p = await principal(input);
    if (input.experiment_id !== undefined)
      await upsertExperimentGrant(db, await experimentId(ws, input.experiment_id), p, permission);
    else await upsertModelGrant(db, ws.id, await modelName(ws, input.registered_model), p, permission);
    grantsChanged();
  }

  async function revoke(
    ws: Workspace,
    input: { username?: string; group?: string; experiment_id?: string; registered_model?: string },
  ): Promise<void> {
    const p = await principal(input);
    if (input.experiment_id !== undefined)
      await deleteExperimentGrant(db, await experimentId(ws, input.experiment_id), p);
    else if (input.registered_model !== undefined) await deleteModelGrant(db, ws.id, input.registered_model, p);
    grantsChanged();
  }

  /** Every grant on one experiment or one registered model of `ws`, by user and group name. */
  async function grantsOn(ws: Workspace, target: { experiment_id?: string; registered_model?: string }) {
    if (target.experiment_id !== undefined) return grantsOnExperiment(db, await experimentId(ws, target.experiment_id));
    return grantsOnModel(db, ws.id, await modelName(ws, target.registered_model));
  }

  async function setMember(ws: Workspace, input: { username?: string; group?: string; role: string }): Promise<void> {
    await upsertWorkspaceRole(db, ws.id, await principal(input), parseRole(input.role));
    grantsChanged();
  }

  async function removeMember(ws: Workspace, input: { username?: string; group?: string }): Promise<void> {
    await deleteWorkspaceRole(db, ws.id, await principal(input));
    grantsChanged();
  }

  /** The workspace's members by name (the table holds internal ids). */
  async function members(ws: Workspace): Promise<Identity.MemberJson[]> {
    const [rows, users, groups] = await Promise.all([listWorkspaceMembers(db, ws.id), listUsers(db), listGroups(db)]);
    const userNames = new Map(users.map((u) => [Number(u.id), u.username]));
    const groupNames = new Map(groups.map((g) => [Number(g.id), g.name]));
    return rows.flatMap((r) => {
      const name = (r.kind === 'user' ? userNames : groupNames).get(r.id);
      return name === undefined ? [] : [{ kind: r.kind, name, role: parseRole(r.role) }];
    });
  }

  /** The creator of an experiment or a registered model may manage it (MLflow's after-request hooks). */
  async function grantCreatorExperiment(experiment: number, userId: number): Promise<void> {
    await upsertExperimentGrant(db, String(experiment), { kind: 'user', id: userId }, 'MANAGE');
    grantsChanged();
  }

  async function grantCreatorModel(ws: Workspace, name: string, userId: number): Promise<void> {
    await upsertModelGrant(db, ws.id, name, { kind: 'user', id: userId }, 'MANAGE');
    grantsChanged();
  }

  return {
    createExperimentPermission,
    getExperimentPermission,
    updateExperimentPermission,
    deleteExperimentPermission,
    createModelPermission,
    getModelPermission,
    updateModelPermission,
    deleteModelPermission,
    userJson,
    grant,
    revoke,
    grantsOn,
    setMember,
    removeMember,
    members,
    grantCreatorExperiment,
    grantCreatorModel,
    modelDeleted: async (ws: Workspace, name: string) => {
      await deleteModelGrants(db, ws.id, name);
      grantsChanged();
    },
    modelRenamed: async (ws: Workspace, from: string, to: string) => {
      await renameModelGrants(db, ws.id, from, to);
      grantsChanged();
    },
    modelGrantsOf: (ws: Workspace, principals: Principal[]) => modelGrantsOf(db, ws.id, principals),
  };
}

export type GrantService = ReturnType<typeof createGrantService>;
