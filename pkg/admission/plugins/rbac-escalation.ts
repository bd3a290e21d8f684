/**
 * RBAC escalation prevention. Upstream does this in the RBAC REST storage (pkg/registry/rbac/
 * {role,clusterrole,rolebinding,clusterrolebinding}/policybased), before validating admission; here
 * it is the first validating plugin. A Role or ClusterRole may only hold rules its writer holds
 * (unless the writer may `escalate` it); a binding may only grant a role whose rules its writer
 * holds (unless the writer may `bind` it). system:masters may do anything. Active only when the
 * apiserver authorizes with RBAC (the rules come from the RBAC resolver, not the whole chain).
 */
import type { ClusterRole, PolicyRule, RoleBinding, RoleRef } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import type { Attributes } from '../../auth/authorization/types.ts';
import {
  escalationMessage, existingRbacResolver, fullAuthority, rbacGroup,
} from '../../auth/rbac/index.ts';
import { wellKnown, type UserInfo } from '../../auth/user.ts';
import { semanticEqual } from '../../registry/validation/index.ts';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';

const roleResources = new Set(['roles', 'clusterroles']);
const bindingResources = new Set(['rolebindings', 'clusterrolebindings']);

/** Whether the user's RBAC rules allow a request with these attributes. */

function resourceAttrs(user: UserInfo, verb: string, resource: string, namespace: string, name: string): Attributes {
  return {
    user, verb, isResourceRequest: true, path: '', apiGroup: rbacGroup, apiVersion: '*',
    resource, subresource: '', namespace, name,
  };
}

/** IsOnlyMutatingGCFields: an update touching only ownerReferences/finalizers needs no check. */
function onlyGCFields(obj: KubeObject, old: KubeObject | undefined): boolean {
  if (!old) return false;
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, selfLink: _s, managedFields: _m, resourceVersion: _r, ...meta } = o.metadata;
    return { ...o, metadata: meta };
  };
  return semanticEqual(strip(obj), strip(old));
}

function hasAggregationRule(o: KubeObject | undefined): boolean {
  return !!(o as unknown as ClusterRole | undefined)?.aggregationRule;
}

export function rbacEscalation(deps: AdmissionDeps): AdmissionPlugin {
  /** The `escalate` and `bind` verbs are asked of the whole authorizer chain, as upstream does. */
  const allowed = async (attrs: Attributes): Promise<boolean> => (await deps.authorizer.authorize(attrs)).decision === 'Allow';
  return {
    name: 'RBACEscalation',
    operations: ['CREATE', 'UPDATE'],
    // Upstream checks escalation in the RBAC REST storage: after mutating admission, before the
    // strategy validates and before validating admission. That is where admit runs (last in the list).
    async admit(a: AdmissionAttributes) {
      const plural = a.entry.plural;
      if (a.entry.group !== rbacGroup || a.subresource || !a.object) return;
      if (!roleResources.has(plural) && !bindingResources.has(plural)) return;
      const resolver = existingRbacResolver(deps.registry);
      if (!resolver || a.user.groups.includes(wellKnown.systemMasters)) return;
      await resolver.waitReady();
      const namespace = a.entry.namespaced ? a.namespace : '';
      const name = a.object.metadata.name ?? a.name;
      const forbid = (why: string) => apierrors.forbidden(rbacGroup, plural, name, why);

      if (roleResources.has(plural)) {
        // The request's own name: empty on create, as the request info has it.
        const requestName = a.operation === 'CREATE' ? '' : a.name;
        if (await allowed(resourceAttrs(a.user, 'escalate', plural, namespace, requestName))) return;
        if (a.operation === 'UPDATE' && onlyGCFields(a.object, a.oldObject)) return;
        const rules = ((a.object as { rules?: PolicyRule[] }).rules ?? []);
        const msg = escalationMessage(resolver, a.user, namespace, rules);
        if (msg !== undefined) throw forbid(msg);
        // An aggregationRule can gather any rule, so it takes full authority to set or change.
        if (plural === 'clusterroles' && (hasAggregationRule(a.object) || hasAggregationRule(a.oldObject))
          && escalationMessage(resolver, a.user, namespace, fullAuthority) !== undefined) {
          throw forbid('must have cluster-admin privileges to use the aggregationRule');
        }
        return;
      }

      if (a.operation === 'UPDATE' && onlyGCFields(a.object, a.oldObject)) return;
      const ref: RoleRef = (a.object as unknown as RoleBinding).roleRef ?? { apiGroup: '', kind: '', name: '' };
      const target = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : '';
      if (target) {
        const bind = { ...resourceAttrs(a.user, 'bind', target, namespace, ref.name), apiGroup: ref.apiGroup ?? '' };
        if (await allowed(bind)) return;
      }
      const { rules, err } = resolver.roleReferenceRules(ref, namespace);
      if (err !== undefined) throw forbid(err);
      const msg = escalationMessage(resolver, a.user, namespace, rules);
      if (msg !== undefined) throw forbid(msg);
    },
  };
}
