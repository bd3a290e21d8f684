/** Authorization attributes of a request, from its parsed request info and user. */
import type { UserInfo } from '../user.ts';
import { parseFieldSelector } from '../../api/selectors/index.ts';
import type { Attributes } from './types.ts';
import type { RequestInfo } from '../../apiserver/request-info.ts';

/** The parts of the apiserver's request info that authorization reads. */
export type RequestInfoLike = Pick<RequestInfo,
  'isResourceRequest' | 'path' | 'verb' | 'apiGroup' | 'apiVersion' | 'namespace' | 'resource' | 'subresource' | 'name'>;

/** Non-resource requests are authorized by the HTTP method's lower-case name ("get", "post", …). */
/** path.IsValidPathSegmentName: not "." or "..", and no "/" or "%". */
function isValidPathSegmentName(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

/** A list/watch's field selector requirements; a selector that does not parse is left out, as upstream. */
function fieldSelectorOf(query: URLSearchParams | undefined): Attributes['fieldSelector'] {
  const raw = query?.get('fieldSelector');
  if (!raw) return undefined;
  try {
    const reqs = parseFieldSelector(raw).requirements;
    return reqs.length ? reqs : undefined;
  } catch {
    return undefined;
  }
}

export function attributesOf(user: UserInfo, info: RequestInfoLike, method: string, query?: URLSearchParams): Attributes {
  if (!info.isResourceRequest) {
    return {
      user, verb: method.toLowerCase(), isResourceRequest: false, path: info.path,
      apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '',
    };
  }
  const attrs: Attributes = {
    user, verb: info.verb, isResourceRequest: true, path: info.path, apiGroup: info.apiGroup, apiVersion: info.apiVersion,
    resource: info.resource, subresource: info.subresource, namespace: info.namespace, name: info.name,
  };
  if (info.verb === 'list' || info.verb === 'watch' || info.verb === 'deletecollection') {
    const fieldSelector = fieldSelectorOf(query);
    if (fieldSelector) attrs.fieldSelector = fieldSelector;
    // requestinfo.go: a list or watch pinned to one name by metadata.name=<n> is authorized as
    // that name (a kubelet watches single secrets this way; RBAC resourceNames then apply).
    const pinned = info.verb === 'deletecollection' ? undefined : fieldSelector?.find((r) => r.field === 'metadata.name' && r.op === '=');
    if (!attrs.name && pinned && isValidPathSegmentName(pinned.value)) attrs.name = pinned.value;
  }
  return attrs;
}
