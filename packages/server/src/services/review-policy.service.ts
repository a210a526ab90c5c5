import { invalidParam, Review, TroveError } from '@trove/protocol';
import {
  listReviewPolicyRules,
  replaceReviewPolicy,
  requiredApprovalsOfRules,
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

/** Per registered model: which stages and aliases need approval, and from how many distinct users. */
export function createReviewPolicyService(store: Store, models: RegisteredModelService) {
  const { db } = store;

  async function rulesOf(modelId: number): Promise<PolicyRule[]> {
    const rows = await listReviewPolicyRules(db, modelId);
    return rows.map((r) => ({
      kind: r.kind as PolicyRule['kind'],
      target: r.target,
      required_approvals: Number(r.required_approvals),
    }));
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
    const model = await models.getRow(ws, name);
    await runInTransaction(store, async (trx) => {
      await replaceReviewPolicy(trx, model.id, parsed);
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

  /** Approvals a change of `kind` to `target` needs (0: none). */
  async function required(modelId: number, kind: 'stage' | 'alias', target: string): Promise<number> {
    return Math.max(0, ...(await requiredApprovalsOfRules(db, modelId, kind, target)));
  }

  return { get, set, required };
}

export type ReviewPolicyService = ReturnType<typeof createReviewPolicyService>;
