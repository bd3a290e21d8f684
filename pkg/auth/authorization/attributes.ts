/** Authorization attributes of a request, from its parsed request info and user. */
import type { UserInfo } from '../user.ts';
import type { Attributes } from './types.ts';

export interface RequestInfoLike {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

/** Non-resource requests are authorized by the HTTP method's lower-case name ("get", "post", …). */
export function attributesOf(user: UserInfo, info: RequestInfoLike, method: string): Attributes {
  if (!info.isResourceRequest) {
    return {
      user, verb: method.toLowerCase(), isResourceRequest: false, path: info.path,
      apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '',
    };
  }
  return {
    user, verb: info.verb, isResourceRequest: true, path: info.path, apiGroup: info.apiGroup, apiVersion: info.apiVersion,
    resource: info.resource, subresource: info.subresource, namespace: info.namespace, name: info.name,
  };
}
