import { bool, defineMessage, enumOf, i64, str, strList } from '../message.ts';

/** Sign-in, API tokens, users, groups, workspace members and the audit log (Trove's own API). */
export const ROLE_NAMES = ['viewer', 'editor', 'manager', 'admin'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export const Login = defineMessage({ username: str(true), password: str(true) });
export const CreateToken = defineMessage({
  name: str(true),
  workspace: str(),
  role: enumOf(ROLE_NAMES),
  expires_in_days: i64(),
});
export const CreateUser = defineMessage({
  username: str(true),
  password: str(),
  is_admin: bool(),
  service_account: bool(),
  display_name: str(),
  email: str(),
});
export const UpdateUser = defineMessage({ password: str(), is_admin: bool() });
export const CreateGroup = defineMessage({ name: str(true), description: str() });
export const GroupMember = defineMessage({ username: str(true) });
export const SetMember = defineMessage({ username: str(), group: str(), role: enumOf(ROLE_NAMES, true) });
export const RemoveMember = defineMessage({ username: str(), group: str() });
export const Grant = defineMessage({
  username: str(),
  group: str(),
  experiment_id: str(),
  registered_model: str(),
  permission: enumOf(['READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS'] as const, true),
});
export const GrantTarget = defineMessage({ experiment_id: str(), registered_model: str() });
export const Revoke = defineMessage({ username: str(), group: str(), experiment_id: str(), registered_model: str() });

/** `GET /api/trove/v1/grants?experiment_id=|registered_model=`. */
export interface GrantsResponse {
  grants: { kind: 'user' | 'group'; name: string; permission: string }[];
}

export const SearchAudit = defineMessage({
  actor: str(),
  action: str(),
  resource_type: str(),
  resource_id: str(),
  since: i64(),
  until: i64(),
  page_token: str(),
  max_results: i64(),
  format: enumOf(['json', 'jsonl'] as const),
});
export const Empty = defineMessage({});

/** The signed-in user as `auth/me` and `auth/login` answer it. */
export interface MeUser {
  id: number;
  username: string;
  is_admin: boolean;
  kind: string;
  groups: string[];
}

/**
 * A cookie the page's own script can read, set and cleared with the (HttpOnly) session cookie and
 * saying only that one is set: index.html's early requests wait for `auth/me`'s CSRF token only then.
 */
export const SIGNED_IN_COOKIE = 'trove_signed_in';

/** `GET /api/trove/v1/auth/me`. */
export interface MeResponse {
  auth_enabled: boolean;
  user?: MeUser;
  /** Send back as `X-CSRF-Token` on writes made with the session cookie. */
  csrf_token?: string;
  sso?: { login_url: string; name: string };
}

export interface TokenJson {
  id: number;
  name: string;
  prefix: string;
  workspace_id: number | null;
  role: string | null;
  creation_time: number;
  expires_time: number | null;
  last_used_time: number | null;
  revoked_time: number | null;
}

/** `GET /auth/tokens`. */
export interface TokensResponse {
  tokens: TokenJson[];
}

/** `POST /auth/tokens`: the token itself is in this answer only. */
export interface CreateTokenResponse {
  token: string;
  token_info: TokenJson;
}

/** A user or service account as `GET /admin/users` lists it. */
export interface UserJson {
  id: number;
  username: string;
  is_admin: boolean;
  /** `user` or `service` (a service account, for CI). */
  kind: string;
  display_name: string | null;
  email: string | null;
  /** Signed in through single sign-on at least once. */
  sso: boolean;
  creation_time: number;
  last_login_time: number | null;
}

export interface UsersResponse {
  users: UserJson[];
}

export interface CreateUserResponse {
  user: Pick<UserJson, 'id' | 'username' | 'is_admin' | 'kind'>;
}

export interface GroupJson {
  name: string;
  description: string | null;
  /** Usernames. */
  members: string[];
}

export interface GroupsResponse {
  groups: GroupJson[];
}

export interface CreateGroupResponse {
  group: GroupJson;
}

/** A user's or a group's role in a workspace (`GET /members`). */
export interface MemberJson {
  kind: 'user' | 'group';
  name: string;
  role: RoleName;
}

export interface MembersResponse {
  members: MemberJson[];
}

export interface AuditEntryJson {
  id: number;
  time: number;
  workspace_id: number | null;
  actor: string | null;
  address: string | null;
  request_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  status: number | null;
  before: unknown;
  after: unknown;
}

/** `GET /audit`, newest first; `next_page_token` pages on to older entries. */
export interface AuditResponse {
  entries: AuditEntryJson[];
  next_page_token?: string;
}
