/** The Forbidden Status of a denied request, worded as handlers.forbidden does it. */
import * as apierrors from '../../apierrors/index.ts';
import type { Attributes } from './types.ts';

export function forbiddenMessage(a: Attributes): string {
  const user = JSON.stringify(a.user.username);
  if (!a.isResourceRequest) return `User ${user} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  return `User ${user} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} ${where}`;
}

export function forbiddenError(a: Attributes, reason: string): apierrors.StatusError {
  const msg = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  if (!a.isResourceRequest) return apierrors.forbidden('', '', '', msg);
  return apierrors.forbidden(a.apiGroup, a.resource, a.name, msg);
}
