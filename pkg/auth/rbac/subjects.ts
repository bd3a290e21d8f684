/**
 * Which binding subjects a user is (appliesToUser in pkg/registry/rbac/validation/rule.go), how
 * allow reasons name them, and the index keys a subject is found under.
 */
import type { Subject } from 'kubernetes-types/rbac/v1.js';
import { goQuote } from '../../apierrors/index.ts';
import type { UserInfo } from '../user.ts';

export const serviceAccountUsernamePrefix = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${serviceAccountUsernamePrefix}${namespace}:${name}`;
}

/**
 * A ServiceAccount subject without a namespace means the binding's own namespace (only
 * RoleBindings have one; such a subject in a ClusterRoleBinding matches nobody).
 */
export function appliesToUser(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User': return user.username === subject.name;
    case 'Group': return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns !== '' && user.username === serviceAccountUsername(ns, subject.name);
    }
    default: return false;
  }
}

/** Index of the first subject that is the user, or -1. */
export function firstApplyingSubject(user: UserInfo, subjects: readonly Subject[] | undefined, bindingNamespace: string): number {
  return (subjects ?? []).findIndex((s) => s && appliesToUser(user, s, bindingNamespace));
}

/** describeSubject: `User "alice"`, `ServiceAccount "sa/ns"` (name first, as upstream prints it). */
export function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${goQuote(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${goQuote(s.name)}`;
}

/** Index keys: users (service accounts become their user name) under "u:", groups under "g:". */
export function subjectKey(s: Subject, bindingNamespace: string): string | undefined {
  switch (s?.kind) {
    case 'User': return `u:${s.name}`;
    case 'Group': return `g:${s.name}`;
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return ns ? `u:${serviceAccountUsername(ns, s.name)}` : undefined;
    }
    default: return undefined;
  }
}

/** The keys a user's bindings may be indexed under. */
export function userKeys(user: UserInfo): string[] {
  return [`u:${user.username}`, ...user.groups.map((g) => `g:${g}`)];
}
