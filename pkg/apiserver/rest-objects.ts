/**
 * The REST objects the apiserver serves besides its stores (pkg/registry/rest.ts): access reviews,
 * token reviews, TokenRequest… Registered here for both the real server (run.ts) and in-process test
 * servers, one line each.
 */
import type { AuthorizerChain } from '../auth/authorization/index.ts';
import type { Registry } from '../registry/registry.ts';
import type { TokenAuthentication } from './token-authentication.ts';
import { InvalidCredentials, invalidBearerToken } from '../auth/authentication/index.ts';
import { tokenRequestRest } from '../registry/core/serviceaccount/token-request.ts';
import { tokenReviewRest } from '../registry/authentication/token-review.ts';
import { selfSubjectReviewRest } from '../registry/authentication/self-subject-review.ts';
import { localSubjectAccessReviewRest, subjectAccessReviewRest } from '../registry/authorization/subject-access-review.ts';
import { selfSubjectAccessReviewRest } from '../registry/authorization/self-subject-access-review.ts';
import { selfSubjectRulesReviewRest } from '../registry/authorization/self-subject-rules-review.ts';

export interface RestObjectDeps {
  registry: Registry;
  /** The same authorizer chain the filter chain uses (reviews answer with it). */
  authorizer: AuthorizerChain;
  /** Bearer tokens: TokenReview answers with them, TokenRequest signs with their issuer (when there is one). */
  tokens?: TokenAuthentication;
}

const authorizationGroup = 'authorization.k8s.io';

export function registerRestObjects(deps: RestObjectDeps): void {
  const { registry, authorizer } = deps;
  registry.registerRest({ group: authorizationGroup, plural: 'subjectaccessreviews' }, '', subjectAccessReviewRest(authorizer));
  registry.registerRest({ group: authorizationGroup, plural: 'localsubjectaccessreviews' }, '', localSubjectAccessReviewRest(authorizer));
  registry.registerRest({ group: authorizationGroup, plural: 'selfsubjectaccessreviews' }, '', selfSubjectAccessReviewRest(authorizer));
  registry.registerRest({ group: authorizationGroup, plural: 'selfsubjectrulesreviews' }, '', selfSubjectRulesReviewRest(authorizer));
  const { tokens } = deps;
  registry.registerRest({ group: 'authentication.k8s.io', plural: 'selfsubjectreviews' }, '', selfSubjectReviewRest());
  registry.registerRest({ group: 'authentication.k8s.io', plural: 'tokenreviews' }, '',
    tokenReviewRest(tokens ?? { review: () => Promise.reject(new InvalidCredentials(invalidBearerToken)), apiAudiences: [] }));
  if (tokens?.issuer) {
    registry.registerRest({ group: '', plural: 'serviceaccounts' }, 'token', tokenRequestRest({
      issuer: tokens.issuer, apiAudiences: tokens.apiAudiences, maxExpirationSeconds: tokens.maxExpirationSeconds, getter: tokens.getter,
    }));
  }
}
