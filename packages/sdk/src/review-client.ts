import type { Review } from '@trove/protocol';
import type { HttpClient } from './http-client.ts';

const NATIVE = '/api/trove/v1';

/** What a review request asks for: a stage transition or an alias change of one version. */
export type ReviewTarget =
  | { stage: string; archiveExistingVersions?: boolean }
  | { alias: string; removeAlias?: boolean };

/**
 * Trove's review flow (`/api/trove/v1/registered-models/{name}/…`): policies that protect stages
 * and aliases, requests to change them, and their decisions. Same transport as a
 * {@link TrackingClient} (`new ReviewClient(client.http)`).
 *
 * @example
 * const reviews = new ReviewClient(client.http);
 * const request = await reviews.createRequest('fraud', '7', { stage: 'Production' }, 'AUC 0.97');
 */
export class ReviewClient {
  constructor(readonly http: HttpClient) {}

  private model(name: string): string {
    return `${NATIVE}/registered-models/${encodeURIComponent(name)}`;
  }
  /** The model's review policy (no rules: nothing needs approval). */
  async getPolicy(name: string): Promise<Review.PolicyRule[]> {
    return (await this.http.get<Review.ReviewPolicyResponse>(`${this.model(name)}/review-policy`)).policy.rules;
  }
  async createRequest(
    name: string,
    version: string,
    target: ReviewTarget,
    comment?: string,
  ): Promise<Review.ReviewRequest> {
    const body =
      'stage' in target
        ? { stage: target.stage, archive_existing_versions: target.archiveExistingVersions, comment }
        : { alias: target.alias, remove_alias: target.removeAlias, comment };
    return (
      await this.http.post<Review.ReviewRequestResponse>(
        `${this.model(name)}/versions/${encodeURIComponent(version)}/requests`,
        body,
      )
    ).request;
  }
  async getRequest(name: string, requestId: string): Promise<Review.ReviewRequest> {
    return (
      await this.http.get<Review.ReviewRequestResponse>(`${this.model(name)}/requests/${encodeURIComponent(requestId)}`)
    ).request;
  }
  async decide(
    name: string,
    requestId: string,
    decision: 'approve' | 'reject' | 'cancel',
    comment?: string,
  ): Promise<Review.ReviewRequest> {
    return (
      await this.http.post<Review.ReviewRequestResponse>(
        `${this.model(name)}/requests/${encodeURIComponent(requestId)}/${decision}`,
        { comment },
      )
    ).request;
  }
}

/**
 * Whether `rules` require approval for a stage (`kind` 'stage', compared case-insensitively as the
 * server canonicalises stage names) or an alias; `*` protects every target of its kind.
 */
export function policyProtects(rules: readonly Review.PolicyRule[], kind: 'stage' | 'alias', target: string): boolean {
  const same = (a: string) => (kind === 'stage' ? a.toLowerCase() === target.toLowerCase() : a === target);
  return rules.some((r) => r.kind === kind && (r.target === '*' || same(r.target)));
}
