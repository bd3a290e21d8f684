/**
 * SelfSubjectReview (pkg/registry/authentication/selfsubjectreview): the requester's own user as
 * authentication (and impersonation) left it; `kubectl auth whoami` prints it. Served as v1 and
 * v1beta1 (kubectl 1.27 asks for v1beta1); the answer is in the version asked.
 */
import type { KubeObject } from '../../api/index.ts';
import type { RestCreater } from '../rest.ts';
import { userInfoJson } from './user-info.ts';

export function selfSubjectReviewRest(now: () => Date = () => new Date()): RestCreater {
  return {
    async create(ctx, obj) {
      await ctx.admission.mutate('CREATE', obj, undefined);
      await ctx.admission.validate('CREATE', obj, undefined);
      return {
        apiVersion: obj.apiVersion, kind: 'SelfSubjectReview',
        metadata: { creationTimestamp: now().toISOString().replace(/\.\d{3}Z$/, 'Z') },
        status: { userInfo: userInfoJson(ctx.user) },
      } as KubeObject;
    },
  };
}
