/** Roles and RoleBindings in kube-system and kube-public (namespace_policy.go). */
import type { Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { eventsRule, read, role, roleBinding, rule, serviceAccount, user } from './rules.ts';

/** Leader election of a component; the configmap lock rules stayed until v1.35 (kubernetes#134297). */
const leaderLocking = (component: string) => [
  rule(['watch'], [''], ['configmaps']),
  rule(['get', 'update'], [''], ['configmaps'], [component]),
  rule(['get', 'watch', 'list', 'create', 'update'], ['coordination.k8s.io'], ['leases']),
  rule(['get', 'watch', 'list', 'create', 'update'], ['coordination.k8s.io'], ['leasecandidates']),
];

export function namespaceRoles(): Role[] {
  return [
    // The configmap holding the client-CA and request-header settings for extension servers.
    role('kube-system', 'extension-apiserver-authentication-reader', [
      rule(read, [''], ['configmaps'], ['extension-apiserver-authentication']),
    ]),
    role('kube-system', 'system:controller:bootstrap-signer', [rule(read, [''], ['secrets'])]),
    // Deprecated since 1.10, still created.
    role('kube-system', 'system:controller:cloud-provider', [rule(['create', 'get', 'list', 'watch'], [''], ['configmaps'])]),
    role('kube-system', 'system:controller:token-cleaner', [rule(['get', 'list', 'watch', 'delete'], [''], ['secrets']), eventsRule()]),
    role('kube-system', 'system::leader-locking-kube-controller-manager', leaderLocking('kube-controller-manager')),
    role('kube-system', 'system::leader-locking-kube-scheduler', leaderLocking('kube-scheduler')),
    role('kube-public', 'system:controller:bootstrap-signer', [
      rule(read, [''], ['configmaps']),
      rule(['update'], [''], ['configmaps'], ['cluster-info']),
      eventsRule(),
    ]),
  ];
}

export function namespaceRoleBindings(): RoleBinding[] {
  return [
    roleBinding('kube-system', 'extension-apiserver-authentication-reader',
      [user('system:kube-controller-manager'), user('system:kube-scheduler')], 'system::extension-apiserver-authentication-reader'),
    roleBinding('kube-system', 'system::leader-locking-kube-controller-manager', [user('system:kube-controller-manager'),
      serviceAccount('kube-system', 'kube-controller-manager'), serviceAccount('kube-system', 'leader-election-controller')]),
    roleBinding('kube-system', 'system::leader-locking-kube-scheduler',
      [user('system:kube-scheduler'), serviceAccount('kube-system', 'kube-scheduler')]),
    roleBinding('kube-system', 'system:controller:bootstrap-signer', [serviceAccount('kube-system', 'bootstrap-signer')]),
    roleBinding('kube-system', 'system:controller:cloud-provider', [serviceAccount('kube-system', 'cloud-provider')]),
    roleBinding('kube-system', 'system:controller:token-cleaner', [serviceAccount('kube-system', 'token-cleaner')]),
    roleBinding('kube-public', 'system:controller:bootstrap-signer', [serviceAccount('kube-system', 'bootstrap-signer')]),
  ];
}
