/**
 * Impersonation (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go): Impersonate-User,
 * Impersonate-Group (repeated), Impersonate-Uid and Impersonate-Extra-<key> headers swap the
 * authenticated user for another, once the requester is allowed the `impersonate` verb on each
 * thing asked for (users, groups, serviceaccounts, uids, userextras/<key>).
 */
import type { IncomingMessage } from 'node:http';
import * as apierrors from '../../apierrors/index.ts';
import { forbiddenError, type Attributes, type AuthorizerChain } from '../../auth/authorization/index.ts';
import { makeGroupNames, makeUsername, splitUsername } from '../../auth/serviceaccount/names.ts';
import { wellKnown, type UserInfo } from '../../auth/user.ts';

const userHeader = 'impersonate-user';
const groupHeader = 'impersonate-group';
const uidHeader = 'impersonate-uid';
const extraPrefix = 'impersonate-extra-';

/** One thing to impersonate, shaped like the ObjectReference upstream prints in its 400. */
interface ImpersonationRequest {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  fieldPath: string;
}

/** Go's %v of a v1.ObjectReference: every field in order, separated by spaces. */
function goFormat(r: ImpersonationRequest): string {
  return `{${[r.kind, r.namespace, r.name, '', r.apiVersion, '', r.fieldPath].join(' ')}}`;
}

function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key; // malformed escapes are kept as sent
  }
}

function buildRequests(req: IncomingMessage): ImpersonationRequest[] {
  const headers = req.headersDistinct;
  const out: ImpersonationRequest[] = [];
  const ref = (kind: ImpersonationRequest['kind'], name: string, extra: Partial<ImpersonationRequest> = {}): ImpersonationRequest =>
    ({ kind, namespace: '', name, apiVersion: '', fieldPath: '', ...extra });
  const requestedUser = headers[userHeader]?.[0] ?? '';
  if (requestedUser) {
    const sa = splitUsername(requestedUser);
    out.push(sa ? ref('ServiceAccount', sa.name, { namespace: sa.namespace }) : ref('User', requestedUser));
  }
  const groups = headers[groupHeader] ?? [];
  for (const g of groups) out.push(ref('Group', g));
  let hasExtra = false;
  for (const [header, values] of Object.entries(headers)) {
    if (!header.startsWith(extraPrefix) || !values) continue;
    hasExtra = true;
    const key = unescapeExtraKey(header.slice(extraPrefix.length).toLowerCase());
    for (const v of values) out.push(ref('UserExtra', v, { apiVersion: 'authentication.k8s.io/v1', fieldPath: key }));
  }
  const uid = headers[uidHeader]?.[0] ?? '';
  if (uid) out.push(ref('UID', uid, { apiVersion: 'authentication.k8s.io/v1' }));
  if ((groups.length > 0 || hasExtra || uid) && !requestedUser) {
    throw apierrors.badRequest(`requested [${out.map(goFormat).join(' ')}] without impersonating a user`);
  }
  return out;
}

/** The user the request acts as: `user` itself when it impersonates no one. */
/** Whether any header names an impersonation: a scan of the raw names, cheaper than headersDistinct. */
function hasImpersonationHeader(req: IncomingMessage): boolean {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length >= 12 && name.slice(0, 12).toLowerCase() === 'impersonate-') return true;
  }
  return false;
}

export async function impersonate(req: IncomingMessage, user: UserInfo, authorizer: AuthorizerChain): Promise<UserInfo> {
  if (!hasImpersonationHeader(req)) return user;
  const requests = buildRequests(req);
  if (requests.length === 0) return user;
  const groupsSpecified = (req.headersDistinct[groupHeader] ?? []).length > 0;
  let username = '';
  let uid = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    const attrs: Attributes = {
      user, verb: 'impersonate', isResourceRequest: true, path: req.url ?? '',
      apiGroup: '', apiVersion: 'v1', resource: '', subresource: '', namespace: r.namespace, name: r.name,
    };
    switch (r.kind) {
      case 'ServiceAccount':
        attrs.resource = 'serviceaccounts';
        username = makeUsername(r.namespace, r.name);
        if (!groupsSpecified) groups = makeGroupNames(r.namespace);
        break;
      case 'User':
        attrs.resource = 'users';
        username = r.name;
        break;
      case 'Group':
        attrs.resource = 'groups';
        groups.push(r.name);
        break;
      case 'UserExtra':
        attrs.apiGroup = 'authentication.k8s.io';
        attrs.resource = 'userextras';
        attrs.subresource = r.fieldPath;
        (extra[r.fieldPath] ??= []).push(r.name);
        break;
      case 'UID':
        attrs.apiGroup = 'authentication.k8s.io';
        attrs.resource = 'uids';
        uid = r.name;
        break;
    }
    const { decision, reason } = await authorizer.authorize(attrs);
    if (decision !== 'Allow') throw forbiddenError(attrs, reason);
  }
  if (username !== wellKnown.anonymous) {
    if (!groups.some((g) => g === wellKnown.allAuthenticated || g === wellKnown.allUnauthenticated)) groups.push(wellKnown.allAuthenticated);
  } else if (!groups.includes(wellKnown.allUnauthenticated)) {
    groups.push(wellKnown.allUnauthenticated);
  }
  // Later steps must not see the headers (upstream deletes them from the request).
  for (const h of Object.keys(req.headers)) {
    if (h === userHeader || h === groupHeader || h === uidHeader || h.startsWith(extraPrefix)) delete req.headers[h];
  }
  const out: UserInfo = { username, groups, extra };
  if (uid) out.uid = uid;
  return out;
}
