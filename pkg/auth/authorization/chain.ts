/**
 * The authorizer chain (union.go): each authorizer in order; the first Allow or Deny decides, and
 * no decision at all is a denial. rulesFor merges what every authorizer that resolves rules lists.
 */
import type { UserInfo } from '../user.ts';
import type { Attributes, AuthorizationResult, Authorizer, RulesResult } from './types.ts';

export interface AuthorizerChain {
  authorize(attrs: Attributes): Promise<AuthorizationResult>;
  rulesFor(user: UserInfo, namespace: string): Promise<RulesResult>;
}

export function authorizerChain(authorizers: readonly Authorizer[]): AuthorizerChain {
  return {
    async authorize(attrs) {
      const reasons: string[] = [];
      for (const a of authorizers) {
        const r = await a.authorize(attrs);
        if (r.decision !== 'NoOpinion') return r;
        if (r.reason) reasons.push(r.reason);
      }
      return { decision: 'NoOpinion', reason: reasons.join('\n') };
    },
    async rulesFor(user, namespace) {
      const out: RulesResult = { resourceRules: [], nonResourceRules: [], incomplete: false, evaluationError: '' };
      const errors: string[] = [];
      for (const a of authorizers) {
        // Only authorizers that are rule resolvers take part (union.NewRuleResolvers).
        if (!a.rulesFor) continue;
        const r = await a.rulesFor(user, namespace);
        out.resourceRules.push(...r.resourceRules);
        out.nonResourceRules.push(...r.nonResourceRules);
        out.incomplete ||= r.incomplete;
        if (r.evaluationError) errors.push(r.evaluationError);
      }
      out.evaluationError = errors.join(', ');
      return out;
    },
  };
}
