import type { Generated } from 'kysely';

/** Tables of identity, access control and audit (migration 0011_auth); `schema.ts` joins them into `Database`. */

/** A person or a service account (migration 0011). */
export interface UserTable {
  id: Generated<number>;
  username: string;
  /** argon2id PHC string; NULL for accounts that sign in only through SSO or tokens. */
  password_hash: string | null;
  is_admin: number;
  kind: string;
  display_name: string | null;
  email: string | null;
  oidc_subject: string | null;
  creation_time: number;
  last_login_time: number | null;
}

export interface UserGroupTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  creation_time: number;
}

export interface GroupMemberTable {
  group_id: number;
  user_id: number;
}

/** An API token: only the SHA-256 of its secret is kept. */
export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  token_prefix: string;
  workspace_id: number | null;
  role: string | null;
  creation_time: number;
  expires_time: number | null;
  last_used_time: number | null;
  revoked_time: number | null;
}

export interface UserSessionTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  creation_time: number;
  expires_time: number;
}

/** A principal's role in a workspace; `principal_kind` is `user` or `group`. */
export interface WorkspaceMemberTable {
  workspace_id: number;
  principal_kind: string;
  principal_id: number;
  role: string;
}

export interface ExperimentPermissionTable {
  /** The experiment's id as decimal text; MLflow's API may also name ids that do not exist. */
  experiment_id: string;
  principal_kind: string;
  principal_id: number;
  permission: string;
}

export interface RegisteredModelPermissionTable {
  workspace_id: number;
  name: string;
  principal_kind: string;
  principal_id: number;
  permission: string;
}

/** One mutation, append-only (triggers refuse UPDATE and DELETE). */
export interface AuditLogTable {
  id: Generated<number>;
  time: number;
  workspace_id: number | null;
  actor: string | null;
  address: string | null;
  request_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  status: number | null;
  before_value: string | null;
  after_value: string | null;
}
