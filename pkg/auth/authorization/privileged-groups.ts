/**
 * system:masters may do anything, without looking at any policy (authorizerfactory's
 * privileged-groups authorizer, which kube-apiserver puts first).
 */
import { wellKnown } from '../user.ts';
import { noOpinion, type Authorizer, type RulesResult } from './types.ts';

const everything: RulesResult = {
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [] }],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
  incomplete: false, evaluationError: '',
};

export const privilegedGroupsAuthorizer: Authorizer = {
  name: 'PrivilegedGroups',
  authorize: (attrs) => attrs.user.groups.includes(wellKnown.systemMasters) ? { decision: 'Allow', reason: '' } : noOpinion,
  rulesFor: (user) => user.groups.includes(wellKnown.systemMasters)
    ? structuredClone(everything)
    : { resourceRules: [], nonResourceRules: [], incomplete: false, evaluationError: '' },
};
