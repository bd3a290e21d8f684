/**
 * Role and ClusterRole strategies, after pkg/registry/rbac/{role,clusterrole}/strategy.go: no
 * status, no generation; only ClusterRoles may hold non-resource URLs or an aggregationRule.
 */
import type { ClusterRole, Role } from 'kubernetes-types/rbac/v1.js';
import type { Strategy } from '../generic/strategy.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/index.ts';
import { validateAggregationRule, validateRBACName, validateRules } from './validation.ts';

function validateRole(obj: Role) {
  return [...validateObjectMeta(obj.metadata ?? {}, validateRBACName), ...validateRules(obj.rules, true)];
}

function validateClusterRole(obj: ClusterRole) {
  return [
    ...validateObjectMeta(obj.metadata ?? {}, validateRBACName),
    ...validateRules(obj.rules, false),
    ...validateAggregationRule(obj.aggregationRule),
  ];
}

export const roleStrategy: Strategy = {
  validate: (obj) => validateRole(obj as unknown as Role),
  validateUpdate: (obj, old) => [...validateRole(obj as unknown as Role), ...validateObjectMetaUpdate(obj.metadata, old.metadata)],
};

export const clusterRoleStrategy: Strategy = {
  validate: (obj) => validateClusterRole(obj as unknown as ClusterRole),
  validateUpdate: (obj, old) => [
    ...validateClusterRole(obj as unknown as ClusterRole),
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
  ],
};
