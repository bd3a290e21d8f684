/**
 * SelfSubjectRulesReview: what may I do in this namespace? (`kubectl auth can-i --list`). The answer
 * is a fresh object holding only the status, as upstream's REST returns it.
 */
import type { SelfSubjectRulesReview } from 'kubernetes-types/authorization/v1.js';
import type { KubeObject } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import type { AuthorizerChain } from '../../auth/authorization/index.ts';
import type { RestCreater } from '../rest.ts';

export function selfSubjectRulesReviewRest(authorizer: AuthorizerChain): RestCreater {
  return {
    async create(ctx, obj) {
      const review = obj as unknown as SelfSubjectRulesReview;
      const namespace = review.spec?.namespace ?? '';
      if (!namespace) throw apierrors.badRequest('no namespace on request');
      await ctx.admission.mutate('CREATE', obj, undefined);
      await ctx.admission.validate('CREATE', obj, undefined);
      const rules = await authorizer.rulesFor(ctx.user, namespace);
      const status: Record<string, unknown> = {
        resourceRules: rules.resourceRules.map((r) => ({
          verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources,
          ...(r.resourceNames.length ? { resourceNames: r.resourceNames } : {}),
        })),
        nonResourceRules: rules.nonResourceRules.map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
        incomplete: rules.incomplete,
      };
      if (rules.evaluationError) status.evaluationError = rules.evaluationError;
      return {
        kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null }, spec: {}, status,
      } as unknown as KubeObject;
    },
  };
}
