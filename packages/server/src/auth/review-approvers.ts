import { type Review, TroveError } from '@trove/protocol';
import type { Workspace } from '../services/workspace.service.ts';
import type { Authorizer } from './authorizer.ts';
import type { Caller } from './caller.ts';
import type { IdentityService } from './identity.service.ts';
import type { Level } from './levels.ts';

/**
 * The level an approver role asks for: `editor` EDIT and `manager` MANAGE on the model (a grant,
 * else the workspace role, else the default, as every permission is found); `admin` the
 * workspace's admin role. Server admins hold every level.
 */
const ROLE_LEVEL: Record<Review.ApproverRole, Level> = { editor: 2, manager: 3, admin: 4 };

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(' or ');

/**
 * Who may approve or reject a review request: with authentication on, a caller who meets every
 * rule of the model's policy that covers the change (a member of one of each rule's
 * `approver_groups`, at least each rule's `approver_role`). With authentication off names are
 * unverified and nothing is checked, as everywhere else.
 */
export function createApproverCheck(enabled: boolean, authorizer: Authorizer, identity: IdentityService) {
  /** Throws PERMISSION_DENIED naming the rule the caller does not meet. */
  async function demand(caller: Caller, ws: Workspace, model: string, rules: readonly Review.PolicyRule[]) {
    if (!enabled || !caller.user) return;
    const user = caller.user;
    const refuse = (why: string) =>
      new TroveError(
        'PERMISSION_DENIED',
        `User '${user.username}' may not decide this request: the review policy of registered model '${model}' ${why}.`,
      );
    let groups: Set<string> | undefined;
    for (const rule of rules) {
      if (rule.approver_groups) {
        groups ??= new Set((await identity.groupsOf(user.id)).map((g) => g.name));
        if (!rule.approver_groups.some((g) => groups?.has(g)))
          throw refuse(`takes approvers from group ${quoted(rule.approver_groups)}`);
      }
      if (rule.approver_role) {
        const level =
          rule.approver_role === 'admin'
            ? await authorizer.workspaceLevel(caller, ws)
            : await authorizer.modelLevel(caller, ws, model);
        if (level < ROLE_LEVEL[rule.approver_role])
          throw refuse(`takes approvers with at least the ${rule.approver_role} role`);
      }
    }
  }

  return { demand };
}

export type ApproverCheck = ReturnType<typeof createApproverCheck>;
