/**
 * system:masters may do anything, without looking at any policy (authorizerfactory's
 * privileged-groups authorizer, which kube-apiserver puts first). It lists no rules: what
 * system:masters may do shows in rules reviews through the cluster-admin binding.
 */
import { wellKnown } from '../user.ts';
import { noOpinion, type Authorizer } from './types.ts';

export const privilegedGroupsAuthorizer: Authorizer = {
  name: 'PrivilegedGroups',
  authorize: (attrs) => attrs.user.groups.includes(wellKnown.systemMasters) ? { decision: 'Allow', reason: '' } : noOpinion,
};
