import { Review } from '@trove/protocol';
import { useEffect, useState } from 'react';
import type { PolicyRule } from '../../api/trove.ts';

type Approvers = Pick<PolicyRule, 'approver_groups' | 'approver_role'>;

const groupsOf = (text: string) =>
  text
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);

/**
 * Who may approve or reject what a policy rule covers (authentication on): a member of any of the
 * groups, holding at least the role on the model; empty means any user who may read the model.
 */
export function PolicyApprovers({
  index,
  rule,
  onChange,
}: {
  index: number;
  rule: PolicyRule;
  onChange: (patch: Approvers) => void;
}) {
  // The text as typed: a trailing comma is where the next group name goes.
  const [text, setText] = useState((rule.approver_groups ?? []).join(', '));
  // Rows are keyed by position: when another rule is removed, this row shows the next rule's groups.
  const joined = (rule.approver_groups ?? []).join('\n');
  useEffect(() => {
    setText((t) => (groupsOf(t).join('\n') === joined ? t : joined.split('\n').join(', ')));
  }, [joined]);
  return (
    <>
      <input
        aria-label={`Rule ${index + 1} approver groups`}
        value={text}
        placeholder="any group"
        size={16}
        onChange={(e) => {
          setText(e.target.value);
          const groups = groupsOf(e.target.value);
          onChange({ approver_groups: groups.length ? groups : undefined });
        }}
      />
      <select
        aria-label={`Rule ${index + 1} approver role`}
        value={rule.approver_role ?? ''}
        onChange={(e) => onChange({ approver_role: (e.target.value || undefined) as Approvers['approver_role'] })}
      >
        <option value="">any role</option>
        {Review.APPROVER_ROLES.map((r) => (
          <option key={r} value={r}>
            at least {r}
          </option>
        ))}
      </select>
    </>
  );
}
