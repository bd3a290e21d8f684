/** What every access review answers: the decision of the same authorizer chain the filter chain uses. */
import type { SubjectAccessReviewStatus } from 'kubernetes-types/authorization/v1.js';
import type { Attributes, AuthorizerChain } from '../../auth/authorization/index.ts';

export async function reviewStatus(authorizer: AuthorizerChain, attrs: Attributes): Promise<SubjectAccessReviewStatus> {
  const { decision, reason } = await authorizer.authorize(attrs);
  const status: SubjectAccessReviewStatus = { allowed: decision === 'Allow' };
  if (decision === 'Deny') status.denied = true;
  if (reason) status.reason = reason;
  return status;
}

/**
 * A review comes back as it was sent plus its status; ObjectMeta's creationTimestamp is a struct,
 * which Go's encoder writes as null when unset.
 */
export function reviewMetadata(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  return { ...(meta ?? {}), creationTimestamp: meta?.creationTimestamp ?? null };
}
