import { invalidParam, Review, TroveError } from '@trove/protocol';
import {
  findGroupByName,
  listReviewPolicyRules,
  type ReviewPolicyRow,
  replaceReviewPolicy,
  reviewPolicyRulesFor,
  runInTransaction,
  type Store,
} from '@trove/store';
import { canonicalStage, type RegisteredModelService, validateAlias } from './registered-model.service.ts';
import { recordEvent } from './registry-events.ts';
import type { Workspace } from './workspace.service.ts';

type PolicyRule = Review.PolicyRule;

/** Users act under a name (X-Trove-User or basic auth); review actions are refused without one. */
export function requireActor(actor: string | undefined, what: string): string {
  if (!actor)
    throw new TroveError('UNAUTHENTICATED', `${what} needs a user: send the X-Trove-User header or HTTP basic auth.`);
  return actor;
}

/** A rule as sent, with its target checked and a stage's name made canonical. */
function readRule(v: Record<string, unknown>, i: number): PolicyRule {
  const rule = Review.readPolicyRule(v, `rules[${i}]`);
  if (rule.target === '*') return rule;
  if (rule.kind === 'alias') {
    validateAlias(rule.target);
    return rule;
  }
  return { ...rule, target: canonicalStage(rule.target) };
}

/** Per registered model: which stages and aliases need approval, from how many distinct users, and from whom. */
export function createReviewPolicyService(store: Store, models: RegisteredModelService) {
  const { db } = store;

  /** A stored rule as the API shows it: the approver fields only where the rule has them. */
  function ruleOf(r: ReviewPolicyRow): PolicyRule {
    return {
      kind: r.kind as PolicyRule['kind'],
      target: r.target,
      required_approvals: Number(r.required_approvals),
      ...(r.approver_groups ? { approver_groups: JSON.parse(r.approver_groups) as string[] } : {}),
      ...(r.approver_role ? { approver_role: r.approver_role as Review.ApproverRole } : {}),
    };
  }

  async function rulesOf(modelId: number): Promise<PolicyRule[]> {
    return (await listReviewPolicyRules(db, modelId)).map(ruleOf);
  }

  /** A group a rule names must exist: a misspelt one would leave nobody able to approve. */
  async function checkGroups(rules: PolicyRule[]): Promise<void> {
    for (const [i, rule] of rules.entries())
      for (const group of rule.approver_groups ?? [])
        if (!(await findGroupByName(db, group)))
          throw invalidParam(`rules[${i}].approver_groups names group '${group}', which does not exist.`);
  }

  async function get(ws: Workspace, name: string): Promise<Review.ReviewPolicyResponse> {
    return { policy: { name, rules: await rulesOf((await models.getRow(ws, name)).id) } };
  }

  /** Replaces the whole policy; an empty list removes it. */
  async function set(
    ws: Workspace,
    name: string,
    rules: Record<string, unknown>[],
    actor: string | undefined,
  ): Promise<Review.ReviewPolicyResponse> {
    const user = requireActor(actor, 'Changing a review policy');
    const parsed = rules.map(readRule);
    const keys = new Set(parsed.map((r) => `${r.kind}:${r.target}`));
    if (keys.size !== parsed.length) throw invalidParam('Each (kind, target) may appear only once in a review policy.');
    await checkGroups(parsed);
    const model = await models.getRow(ws, name);
    const rows = parsed.map((r) => ({
      kind: r.kind,
      target: r.target,
      required_approvals: r.required_approvals,
      approver_groups: r.approver_groups ? JSON.stringify([...new Set(r.approver_groups)]) : null,
      approver_role: r.approver_role ?? null,
    }));
    await runInTransaction(store, async (trx) => {
      await replaceReviewPolicy(trx, model.id, rows);
      await recordEvent(trx, {
        workspaceId: ws.id,
        modelId: model.id,
        modelName: name,
        entity: 'review_policy',
        action: 'updated',
        actor: user,
        payload: { name, rules: parsed },
      });
    });
    return get(ws, name);
  }

  /** The rules that cover a change of `kind` to `target` (its own and `*`). */
  async function rulesFor(modelId: number, kind: 'stage' | 'alias', target: string): Promise<PolicyRule[]> {
    return (await reviewPolicyRulesFor(db, modelId, kind, target)).map(ruleOf);
  }

  /** Approvals a change of `kind` to `target` needs (0: none). */
  async function required(modelId: number, kind: 'stage' | 'alias', target: string): Promise<number> {
    return Math.max(0, ...(await rulesFor(modelId, kind, target)).map((r) => r.required_approvals));
  }

  return { get, set, rulesFor, required };
}

export type ReviewPolicyService = ReturnType<typeof createReviewPolicyService>;
