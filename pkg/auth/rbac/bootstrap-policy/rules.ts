/**
 * Small builders for the bootstrap policy data (upstream's rbacv1helpers.NewRule … RuleOrDie):
 * every list inside a rule is sorted, as the real builder does, so the stored objects match
 * kube-apiserver's byte for byte; the order of the rules themselves is kept.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';

export const bootstrapLabel = 'kubernetes.io/bootstrapping';
export const autoUpdateAnnotation = 'rbac.authorization.kubernetes.io/autoupdate';

export const read = ['get', 'list', 'watch'];
export const readWrite = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
export const write = ['create', 'update', 'patch', 'delete', 'deletecollection'];

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/** A resource rule: verbs on resources of groups, optionally limited to resourceNames. */
export function rule(verbs: readonly string[], groups: readonly string[], resources: readonly string[], names?: readonly string[]): PolicyRule {
  const r: PolicyRule = { verbs: sorted(verbs), apiGroups: sorted(groups), resources: sorted(resources) };
  if (names) r.resourceNames = sorted(names);
  return r;
}

/** A non-resource rule. */
export function urls(verbs: readonly string[], paths: readonly string[]): PolicyRule {
  return { verbs: sorted(verbs), nonResourceURLs: sorted(paths) };
}

/** Every component records events in both the core and the events.k8s.io groups. */
export const eventsRule = (): PolicyRule => rule(['create', 'update', 'patch'], ['', 'events.k8s.io'], ['events']);

function meta(name: string, namespace?: string, extraLabels: Record<string, string> = {}) {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { [bootstrapLabel]: 'rbac-defaults', ...extraLabels },
    annotations: { [autoUpdateAnnotation]: 'true' },
  };
}

export function clusterRole(name: string, rules: PolicyRule[], opts: { labels?: Record<string, string>; aggregateFrom?: string } = {}): ClusterRole {
  const role: ClusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(name, undefined, opts.labels), rules };
  if (opts.aggregateFrom) {
    // Aggregated roles start with no rules: the clusterrole-aggregation controller fills them.
    role.rules = [];
    role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${opts.aggregateFrom}`]: 'true' } }] };
  }
  return role;
}

export function role(namespace: string, name: string, rules: PolicyRule[]): Role {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(name, namespace), rules };
}

export const group = (name: string): Subject => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
export const user = (name: string): Subject => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });
export const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

/** No subjects at all (system:node since the Node authorizer) leaves the field out, as upstream. */
export function clusterRoleBinding(roleName: string, subjects: Subject[], name = roleName): ClusterRoleBinding {
  const binding: ClusterRoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta(name),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  };
  if (subjects.length > 0) binding.subjects = subjects;
  return binding;
}

export function roleBinding(namespace: string, roleName: string, subjects: Subject[], name = roleName): RoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(name, namespace),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
    subjects,
  };
}
