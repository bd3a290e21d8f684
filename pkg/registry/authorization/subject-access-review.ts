/**
 * SubjectAccessReview (cluster) and LocalSubjectAccessReview (namespaced): may this user do this?
 * Answered by the apiserver's own authorizer chain (pkg/registry/authorization/subjectaccessreview).
 */
import type { LocalSubjectAccessReview, SubjectAccessReview } from 'kubernetes-types/authorization/v1.js';
import type { KubeObject } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import type { AuthorizerChain } from '../../auth/authorization/index.ts';
import type { UserInfo } from '../../auth/user.ts';
import type { RestContext, RestCreater } from '../rest.ts';
import { invalid, invalidRendered } from '../validation/index.ts';
import { nonResourceAttributesFrom, resourceAttributesFrom } from './attributes.ts';
import { reviewMetadata, reviewStatus } from './review-status.ts';
import { renderNonResource, throwIfInvalid, validateAttributesChoice } from './validation.ts';

type Review = SubjectAccessReview | LocalSubjectAccessReview;

function subjectOf(review: Review): UserInfo {
  const s = review.spec;
  const user: UserInfo = { username: s.user ?? '', groups: [...(s.groups ?? [])] };
  if (s.uid) user.uid = s.uid;
  if (s.extra && Object.keys(s.extra).length > 0) user.extra = s.extra;
  return user;
}

async function answer(authorizer: AuthorizerChain, ctx: RestContext, obj: KubeObject, review: Review): Promise<KubeObject> {
  await ctx.admission.mutate('CREATE', obj, undefined);
  await ctx.admission.validate('CREATE', obj, undefined);
  const user = subjectOf(review);
  const spec = review.spec;
  const attrs = spec.resourceAttributes
    ? resourceAttributesFrom(user, spec.resourceAttributes)
    : nonResourceAttributesFrom(user, spec.nonResourceAttributes ?? {});
  return { ...obj, metadata: reviewMetadata(obj.metadata as Record<string, unknown>), status: await reviewStatus(authorizer, attrs) } as KubeObject;
}

function validateSubject(review: Review): apierrors.FieldError[] {
  const s = review.spec ?? {};
  if (!s.user && !(s.groups ?? []).length) return [invalid('spec.user', s.user ?? '', 'at least one of user or group must be specified')];
  return [];
}

export function subjectAccessReviewRest(authorizer: AuthorizerChain): RestCreater {
  return {
    async create(ctx, obj) {
      const review = obj as unknown as SubjectAccessReview;
      review.spec ??= {};
      throwIfInvalid('SubjectAccessReview', [...validateAttributesChoice(review.spec), ...validateSubject(review)]);
      return answer(authorizer, ctx, obj, review);
    },
  };
}

export function localSubjectAccessReviewRest(authorizer: AuthorizerChain): RestCreater {
  return {
    async create(ctx, obj) {
      const review = obj as unknown as LocalSubjectAccessReview;
      review.spec ??= {};
      const errs = [...validateAttributesChoice(review.spec), ...validateSubject(review)];
      if (review.spec.nonResourceAttributes) {
        errs.push(invalidRendered('spec.nonResourceAttributes', renderNonResource(review.spec.nonResourceAttributes), 'disallowed on this kind of request'));
      }
      throwIfInvalid('LocalSubjectAccessReview', errs);
      const ns = ctx.namespace;
      if (!ns) throw apierrors.badRequest('namespace is required on this type');
      // The create handler puts the request's namespace on the object (EnsureObjectNamespaceMatchesRequestNamespace).
      obj.metadata ??= {};
      if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
        throw apierrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = ns;
      if (review.spec.resourceAttributes && (review.spec.resourceAttributes.namespace ?? '') !== ns) {
        throw apierrors.badRequest(`spec.resourceAttributes.namespace must match namespace: ${ns}`);
      }
      return answer(authorizer, ctx, obj, review);
    },
  };
}
