/**
 * RoleBinding and ClusterRoleBinding strategies, after pkg/registry/rbac/{rolebinding,
 * clusterrolebinding}/strategy.go and the v1 defaulting: roleRef is immutable, a
 * ClusterRoleBinding may only reference a ClusterRole and its ServiceAccount subjects need a namespace.
 */
import type { ClusterRoleBinding, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { FieldError } from '../../apierrors/index.ts';
import type { KubeObject } from '../../api/index.ts';
import type { Strategy } from '../generic/strategy.ts';
import { invalidRendered, validateObjectMeta, validateObjectMetaUpdate } from '../validation/index.ts';
import { defaultBinding, goRoleRef, validateRBACName, validateRoleRef, validateSubjects } from './validation.ts';

type Binding = RoleBinding | ClusterRoleBinding;

function validateBinding(obj: Binding, namespaced: boolean): FieldError[] {
  return [
    ...validateObjectMeta(obj.metadata ?? {}, validateRBACName),
    ...validateRoleRef(obj.roleRef, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']),
    ...validateSubjects(obj.subjects, namespaced),
  ];
}

function roleRefChanged(obj: Binding, old: Binding): FieldError[] {
  const a = obj.roleRef ?? {};
  const b = old.roleRef ?? {};
  const same = (a.apiGroup ?? '') === (b.apiGroup ?? '') && (a.kind ?? '') === (b.kind ?? '') && (a.name ?? '') === (b.name ?? '');
  return same ? [] : [invalidRendered('roleRef', goRoleRef(obj.roleRef), 'cannot change roleRef')];
}

function bindingStrategy(namespaced: boolean): Strategy {
  const as = (o: KubeObject) => o as unknown as Binding;
  return {
    applyDefaults: (obj) => defaultBinding(as(obj)),
    validate: (obj) => validateBinding(as(obj), namespaced),
    validateUpdate: (obj, old) => [
      ...validateBinding(as(obj), namespaced),
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...roleRefChanged(as(obj), as(old)),
    ],
  };
}

export const roleBindingStrategy: Strategy = bindingStrategy(true);
export const clusterRoleBindingStrategy: Strategy = bindingStrategy(false);
