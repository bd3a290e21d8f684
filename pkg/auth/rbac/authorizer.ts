/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac/rbac.go): allow when any rule the user
 * holds allows the request; otherwise no opinion, with the role resolution errors met on the way
 * ("RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found") as the reason.
 */
import type { Authorizer, NonResourceRuleInfo, ResourceRuleInfo } from '../authorization/types.ts';
import { aggregateMessage, type RuleResolver } from './resolver.ts';
import { ruleAllows } from './rules.ts';

export function rbacAuthorizer(resolver: RuleResolver): Authorizer {
  return {
    name: 'RBAC',
    async authorize(attrs) {
      await resolver.waitReady();
      let allowedBy: string | undefined;
      const errors: string[] = [];
      resolver.visitRulesFor(attrs.user, attrs.namespace, (source, rule, err) => {
        if (rule && source && ruleAllows(attrs, rule)) {
          allowedBy = source();
          return false;
        }
        if (err !== undefined) errors.push(err);
        return true;
      });
      if (allowedBy !== undefined) return { decision: 'Allow', reason: `RBAC: allowed by ${allowedBy}` };
      return { decision: 'NoOpinion', reason: errors.length > 0 ? `RBAC: ${aggregateMessage(errors)}` : '' };
    },
    async rulesFor(user, namespace) {
      await resolver.waitReady();
      const { rules, errors } = resolver.rulesFor(user, namespace);
      const resourceRules: ResourceRuleInfo[] = [];
      const nonResourceRules: NonResourceRuleInfo[] = [];
      for (const r of rules) {
        // A rule with both parts (invalid, but storable before validation existed) counts twice, as upstream.
        if ((r.resources ?? []).length > 0) {
          resourceRules.push({
            verbs: [...(r.verbs ?? [])], apiGroups: [...(r.apiGroups ?? [])],
            resources: [...(r.resources ?? [])], resourceNames: [...(r.resourceNames ?? [])],
          });
        }
        if ((r.nonResourceURLs ?? []).length > 0) {
          nonResourceRules.push({ verbs: [...(r.verbs ?? [])], nonResourceURLs: [...(r.nonResourceURLs ?? [])] });
        }
      }
      return { resourceRules, nonResourceRules, incomplete: false, evaluationError: aggregateMessage(errors) };
    },
  };
}
