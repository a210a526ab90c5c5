import { invalidParam } from '@trove/protocol';

/** MLflow's permission names, weakest first. */
export const PERMISSIONS = ['NO_PERMISSIONS', 'READ', 'EDIT', 'MANAGE'] as const;
export type PermissionName = (typeof PERMISSIONS)[number];

/** Workspace roles, weakest first. `admin` also manages the workspace's members. */
export const ROLES = ['viewer', 'editor', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What an operation needs, in MLflow's terms: can_read, can_update, can_delete, can_manage. */
export type Need = 'read' | 'update' | 'delete' | 'manage';

/** A permission as a number: 0 none, 1 read, 2 edit, 3 manage, 4 workspace admin. */
export type Level = 0 | 1 | 2 | 3 | 4;

export const NO_ACCESS: Level = 0;
export const FULL_ACCESS: Level = 4;

export function permissionLevel(name: PermissionName): Level {
  return PERMISSIONS.indexOf(name) as Level;
}

export function roleLevel(role: Role): Level {
  return (ROLES.indexOf(role) + 1) as Level;
}

/** MLflow: READ can read; EDIT also update; MANAGE also delete and manage permissions. */
export function needLevel(need: Need): Level {
  return need === 'read' ? 1 : need === 'update' ? 2 : 3;
}

/** The MLflow permission a level grants on a resource. */
export function levelPermission(level: Level): PermissionName {
  return PERMISSIONS[Math.min(level, 3)];
}

export function parsePermission(value: string | undefined): PermissionName {
  if (value !== undefined && (PERMISSIONS as readonly string[]).includes(value)) return value as PermissionName;
  throw invalidParam(
    `Invalid permission '${value ?? ''}'. Valid permissions are: ('READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')`,
  );
}

export function parseRole(value: string | undefined): Role {
  if (value !== undefined && (ROLES as readonly string[]).includes(value)) return value as Role;
  throw invalidParam(`Invalid role '${value ?? ''}'. Valid roles are: ${ROLES.join(', ')}`);
}
