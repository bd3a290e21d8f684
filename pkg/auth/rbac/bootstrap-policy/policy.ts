/** Every default object of a v1.32 cluster, gathered from the per-area files. Fresh copies each call. */
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { aggregateRoles } from './aggregate-roles.ts';
import { accessRoles } from './access-roles.ts';
import { componentRoles } from './component-roles.ts';
import { controllerRoleBindings, controllerRoles } from './controller-roles.ts';
import { clusterRoleBindings } from './cluster-role-bindings.ts';
import { namespaceRoleBindings, namespaceRoles } from './namespace-policy.ts';

export interface BootstrapPolicy {
  clusterRoles: ClusterRole[];
  clusterRoleBindings: ClusterRoleBinding[];
  roles: Role[];
  roleBindings: RoleBinding[];
}

export function bootstrapPolicy(): BootstrapPolicy {
  return structuredClone({
    clusterRoles: [...aggregateRoles(), ...accessRoles(), ...componentRoles(), ...controllerRoles()],
    clusterRoleBindings: [...clusterRoleBindings(), ...controllerRoleBindings()],
    roles: namespaceRoles(),
    roleBindings: namespaceRoleBindings(),
  });
}
