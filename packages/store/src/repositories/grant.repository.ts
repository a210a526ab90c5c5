import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** Who a grant is for: a user or a group, by id. */
export interface Principal {
  kind: 'user' | 'group';
  id: number;
}

export interface ExperimentGrant extends Principal {
  /** The experiment's id as decimal text (or an id that names no experiment yet). */
  experimentId: string;
  permission: string;
}

export interface ModelGrant extends Principal {
  workspaceId: number;
  name: string;
  permission: string;
}

export interface WorkspaceRoleRow extends Principal {
  workspaceId: number;
  role: string;
}

const isUser = (p: Principal) => p.kind === 'user';

/** The grants on experiments held by any of `principals` (a user and their groups), optionally on some experiments. */
export async function experimentGrantsOf(
  db: Kysely<Database>,
  principals: Principal[],
  experimentIds?: string[],
): Promise<ExperimentGrant[]> {
  const users = principals.filter(isUser).map((p) => p.id);
  const groups = principals.filter((p) => !isUser(p)).map((p) => p.id);
  if (users.length + groups.length === 0 || experimentIds?.length === 0) return [];
  let q = db
    .selectFrom('experiment_permissions')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(users.length ? [eb.and([eb('principal_kind', '=', 'user'), eb('principal_id', 'in', users)])] : []),
        ...(groups.length ? [eb.and([eb('principal_kind', '=', 'group'), eb('principal_id', 'in', groups)])] : []),
      ]),
    );
  if (experimentIds) q = q.where('experiment_id', 'in', experimentIds);
  const rows = await q.execute();
  return rows.map((r) => ({
    kind: r.principal_kind as Principal['kind'],
    id: Number(r.principal_id),
    experimentId: r.experiment_id,
    permission: r.permission,
  }));
}

/** Grants on registered models held by any of `principals`, in one workspace or (undefined) all. */
export async function modelGrantsOf(
  db: Kysely<Database>,
  workspaceId: number | undefined,
  principals: Principal[],
  names?: string[],
): Promise<ModelGrant[]> {
  const users = principals.filter(isUser).map((p) => p.id);
  const groups = principals.filter((p) => !isUser(p)).map((p) => p.id);
  if (users.length + groups.length === 0 || names?.length === 0) return [];
  let q = db
    .selectFrom('registered_model_permissions')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(users.length ? [eb.and([eb('principal_kind', '=', 'user'), eb('principal_id', 'in', users)])] : []),
        ...(groups.length ? [eb.and([eb('principal_kind', '=', 'group'), eb('principal_id', 'in', groups)])] : []),
      ]),
    );
  if (workspaceId !== undefined) q = q.where('workspace_id', '=', workspaceId);
  if (names) q = q.where('name', 'in', names);
  const rows = await q.execute();
  return rows.map((r) => ({
    kind: r.principal_kind as Principal['kind'],
    id: Number(r.principal_id),
    workspaceId: Number(r.workspace_id),
    name: r.name,
    permission: r.permission,
  }));
}

export function findExperimentGrant(
  db: Kysely<Database>,
  experimentId: string,
  p: Principal,
): Promise<{ permission: string } | undefined> {
  return db
    .selectFrom('experiment_permissions')
    .select('permission')
    .where('experiment_id', '=', experimentId)
    .where('principal_kind', '=', p.kind)
    .where('principal_id', '=', p.id)
    .executeTakeFirst();
}

export async function upsertExperimentGrant(
  db: Kysely<Database>,
  experimentId: string,
  p: Principal,
  permission: string,
): Promise<void> {
  await db
    .insertInto('experiment_permissions')
    .values({ experiment_id: experimentId, principal_kind: p.kind, principal_id: p.id, permission })
    .onConflict((oc) => oc.columns(['experiment_id', 'principal_kind', 'principal_id']).doUpdateSet({ permission }))
    .execute();
}

export async function deleteExperimentGrant(db: Kysely<Database>, experimentId: string, p: Principal): Promise<void> {
  await db
    .deleteFrom('experiment_permissions')
    .where('experiment_id', '=', experimentId)
    .where('principal_kind', '=', p.kind)
    .where('principal_id', '=', p.id)
    .execute();
}

export function findModelGrant(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
  p: Principal,
): Promise<{ permission: string } | undefined> {
  return db
    .selectFrom('registered_model_permissions')
    .select('permission')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .where('principal_kind', '=', p.kind)
    .where('principal_id', '=', p.id)
    .executeTakeFirst();
}

export async function upsertModelGrant(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
  p: Principal,
  permission: string,
): Promise<void> {
  await db
    .insertInto('registered_model_permissions')
    .values({ workspace_id: workspaceId, name, principal_kind: p.kind, principal_id: p.id, permission })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'name', 'principal_kind', 'principal_id']).doUpdateSet({ permission }),
    )
    .execute();
}

export async function deleteModelGrant(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
  p: Principal,
): Promise<void> {
  await db
    .deleteFrom('registered_model_permissions')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .where('principal_kind', '=', p.kind)
    .where('principal_id', '=', p.id)
    .execute();
}

/** Every grant on a model, when the model is deleted (a new model of the same name starts clean). */
export async function deleteModelGrants(db: Kysely<Database>, workspaceId: number, name: string): Promise<void> {
  await db
    .deleteFrom('registered_model_permissions')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .execute();
}

/** Grants follow a renamed model. */
export async function renameModelGrants(
  db: Kysely<Database>,
  workspaceId: number,
  from: string,
  to: string,
): Promise<void> {
  await db
    .updateTable('registered_model_permissions')
    .set({ name: to })
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', from)
    .execute();
}

export async function workspaceRolesOf(db: Kysely<Database>, principals: Principal[]): Promise<WorkspaceRoleRow[]> {
  const users = principals.filter(isUser).map((p) => p.id);
  const groups = principals.filter((p) => !isUser(p)).map((p) => p.id);
  if (users.length + groups.length === 0) return [];
  const rows = await db
    .selectFrom('workspace_members')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(users.length ? [eb.and([eb('principal_kind', '=', 'user'), eb('principal_id', 'in', users)])] : []),
        ...(groups.length ? [eb.and([eb('principal_kind', '=', 'group'), eb('principal_id', 'in', groups)])] : []),
      ]),
    )
    .execute();
  return rows.map((r) => ({
    kind: r.principal_kind as Principal['kind'],
    id: Number(r.principal_id),
    workspaceId: Number(r.workspace_id),
    role: r.role,
  }));
}

export async function listWorkspaceMembers(db: Kysely<Database>, workspaceId: number): Promise<WorkspaceRoleRow[]> {
  const rows = await db.selectFrom('workspace_members').selectAll().where('workspace_id', '=', workspaceId).execute();
  return rows.map((r) => ({
    kind: r.principal_kind as Principal['kind'],
    id: Number(r.principal_id),
    workspaceId: Number(r.workspace_id),
    role: r.role,
  }));
}

export async function upsertWorkspaceRole(
  db: Kysely<Database>,
  workspaceId: number,
  p: Principal,
  role: string,
): Promise<void> {
  await db
    .insertInto('workspace_members')
    .values({ workspace_id: workspaceId, principal_kind: p.kind, principal_id: p.id, role })
    .onConflict((oc) => oc.columns(['workspace_id', 'principal_kind', 'principal_id']).doUpdateSet({ role }))
    .execute();
}

export async function deleteWorkspaceRole(db: Kysely<Database>, workspaceId: number, p: Principal): Promise<void> {
  await db
    .deleteFrom('workspace_members')
    .where('workspace_id', '=', workspaceId)
    .where('principal_kind', '=', p.kind)
    .where('principal_id', '=', p.id)
    .execute();
}

/** A user's own grants on registered models, in every workspace (MLflow's `users/get`). */
export async function userModelGrants(
  db: Kysely<Database>,
  userId: number,
): Promise<{ name: string; permission: string }[]> {
  return db
    .selectFrom('registered_model_permissions')
    .select(['name', 'permission'])
    .where('principal_kind', '=', 'user')
    .where('principal_id', '=', userId)
    .orderBy('name')
    .execute();
}

/** Who holds what on one experiment or one registered model, by user name or group name. */
export interface NamedGrant {
  kind: 'user' | 'group';
  name: string;
  permission: string;
}

export async function grantsOnExperiment(db: Kysely<Database>, experimentKey: string): Promise<NamedGrant[]> {
  const rows = await db
    .selectFrom('experiment_permissions as p')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'p.principal_id').on('p.principal_kind', '=', 'user'))
    .leftJoin('user_groups as g', (j) => j.onRef('g.id', '=', 'p.principal_id').on('p.principal_kind', '=', 'group'))
    .select(['p.principal_kind', 'p.permission', 'u.username', 'g.name'])
    .where('p.experiment_id', '=', experimentKey)
    .execute();
  return named(rows);
}

export async function grantsOnModel(db: Kysely<Database>, workspaceId: number, name: string): Promise<NamedGrant[]> {
  const rows = await db
    .selectFrom('registered_model_permissions as p')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'p.principal_id').on('p.principal_kind', '=', 'user'))
    .leftJoin('user_groups as g', (j) => j.onRef('g.id', '=', 'p.principal_id').on('p.principal_kind', '=', 'group'))
    .select(['p.principal_kind', 'p.permission', 'u.username', 'g.name'])
    .where('p.workspace_id', '=', workspaceId)
    .where('p.name', '=', name)
    .execute();
  return named(rows);
}

function named(
  rows: { principal_kind: string; permission: string; username: string | null; name: string | null }[],
): NamedGrant[] {
  return rows
    .map((r) => ({
      kind: r.principal_kind as NamedGrant['kind'],
      name: (r.principal_kind === 'user' ? r.username : r.name) ?? '',
      permission: r.permission,
    }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
