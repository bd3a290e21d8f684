/** SelfSubjectAccessReview: may I do this? (`kubectl auth can-i`) */
import type { SelfSubjectAccessReview } from 'kubernetes-types/authorization/v1.js';
import type { KubeObject } from '../../api/index.ts';
import type { AuthorizerChain } from '../../auth/authorization/index.ts';
import type { RestCreater } from '../rest.ts';
import { nonResourceAttributesFrom, resourceAttributesFrom } from './attributes.ts';
import { reviewMetadata, reviewStatus } from './review-status.ts';
import { throwIfInvalid, validateAttributesChoice } from './validation.ts';

export function selfSubjectAccessReviewRest(authorizer: AuthorizerChain): RestCreater {
  return {
    async create(ctx, obj) {
      const review = obj as unknown as SelfSubjectAccessReview;
      review.spec ??= {};
      throwIfInvalid('SelfSubjectAccessReview', validateAttributesChoice(review.spec));
      await ctx.admission.mutate('CREATE', obj, undefined);
      await ctx.admission.validate('CREATE', obj, undefined);
      const spec = review.spec;
      const attrs = spec.resourceAttributes
        ? resourceAttributesFrom(ctx.user, spec.resourceAttributes)
        : nonResourceAttributesFrom(ctx.user, spec.nonResourceAttributes ?? {});
      return { ...obj, metadata: reviewMetadata(obj.metadata as Record<string, unknown>), status: await reviewStatus(authorizer, attrs) } as KubeObject;
    },
  };
}
