/** Authorization attributes from a review's spec (authorizationutil.ResourceAttributesFrom and friends). */
import type { NonResourceAttributes, ResourceAttributes } from 'kubernetes-types/authorization/v1.js';
import type { Attributes } from '../../auth/authorization/index.ts';
import type { UserInfo } from '../../auth/user.ts';

export function resourceAttributesFrom(user: UserInfo, r: ResourceAttributes): Attributes {
  return {
    user, isResourceRequest: true, path: '', verb: r.verb ?? '', namespace: r.namespace ?? '', apiGroup: r.group ?? '',
    apiVersion: r.version ?? '', resource: r.resource ?? '', subresource: r.subresource ?? '', name: r.name ?? '',
  };
}

export function nonResourceAttributesFrom(user: UserInfo, n: NonResourceAttributes): Attributes {
  return {
    user, isResourceRequest: false, path: n.path ?? '', verb: n.verb ?? '',
    apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '',
  };
}
