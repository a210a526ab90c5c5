/** Trove's identity API (`/api/trove/v1`): API tokens, users, groups, workspace access and the audit log. */
import type { Identity } from '@trove/protocol';
import { queryString, troveGet, troveRootGet, troveRootSend, troveSend } from './client.ts';

export type Token = Identity.TokenJson;
export type User = Identity.UserJson;
export type Group = Identity.GroupJson;
export type Member = Identity.MemberJson;
export type AuditEntry = Identity.AuditEntryJson;
export type Role = Identity.RoleName;
export type Permission = 'READ' | 'EDIT' | 'MANAGE' | 'NO_PERMISSIONS';

/** Workspace roles, weakest first. */
export const ROLES: readonly Role[] = ['viewer', 'editor', 'manager', 'admin'];

export const listTokens = async (signal?: AbortSignal) =>
  (await troveRootGet<Identity.TokensResponse>('/auth/tokens', signal)).tokens;
export const createToken = (input: { name: string; workspace?: string; role?: Role; expires_in_days?: number }) =>
  troveRootSend<Identity.CreateTokenResponse>('POST', '/auth/tokens', input);
export const revokeToken = (id: number) => troveRootSend<object>('DELETE', `/auth/tokens/${id}`);

const user = (name: string) => `/admin/users/${encodeURIComponent(name)}`;
const group = (name: string) => `/admin/groups/${encodeURIComponent(name)}`;

export const listUsers = async (signal?: AbortSignal) =>
  (await troveRootGet<Identity.UsersResponse>('/admin/users', signal)).users;
export const createUser = (input: {
  username: string;
  password?: string;
  is_admin?: boolean;
  service_account?: boolean;
}) => troveRootSend<Identity.CreateUserResponse>('POST', '/admin/users', input);
export const updateUser = (name: string, patch: { password?: string; is_admin?: boolean }) =>
  troveRootSend<object>('PATCH', user(name), patch);
export const deleteUser = (name: string) => troveRootSend<object>('DELETE', user(name));

export const listGroups = async (signal?: AbortSignal) =>
  (await troveRootGet<Identity.GroupsResponse>('/admin/groups', signal)).groups;
export const createGroup = (name: string, description?: string) =>
  troveRootSend<Identity.CreateGroupResponse>('POST', '/admin/groups', { name, description: description || undefined });
export const deleteGroup = (name: string) => troveRootSend<object>('DELETE', group(name));
export const addGroupMember = (name: string, username: string) =>
  troveRootSend<object>('POST', `${group(name)}/members`, { username });
export const removeGroupMember = (name: string, username: string) =>
  troveRootSend<object>('DELETE', `${group(name)}/members/${encodeURIComponent(username)}`);

/** A user or a group, as the members and grants endpoints name them. */
export type Principal = { username: string } | { group: string };

/** Workspace members and grants: the workspace in the address bar. */
export const listMembers = async (signal?: AbortSignal) =>
  (await troveGet<Identity.MembersResponse>('/members', {}, signal)).members;
export const setMember = (who: Principal, role: Role) => troveSend<object>('PUT', '/members', { ...who, role });
export const removeMember = (who: Principal) => troveSend<object>('DELETE', '/members', who);
export const setGrant = (
  who: Principal,
  on: { experiment_id: string } | { registered_model: string },
  permission: Permission,
) => troveSend<object>('PUT', '/grants', { ...who, ...on, permission });

export interface AuditFilter {
  actor?: string;
  action?: string;
  resource_type?: string;
}

export const searchAudit = (filter: AuditFilter, pageToken: string | undefined, signal?: AbortSignal) =>
  troveRootGet<Identity.AuditResponse>(
    `/audit${queryString({ ...filter, page_token: pageToken, max_results: 50 })}`,
    signal,
  );

/** The audit log as JSON lines (a download link), with the page's filters. */
export const auditExportUrl = (filter: AuditFilter) =>
  `/api/trove/v1/audit${queryString({ ...filter, format: 'jsonl', max_results: 10_000 })}`;
