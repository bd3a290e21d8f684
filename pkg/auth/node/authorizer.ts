/**
 * The Node authorizer (plugin/pkg/auth/authorizer/node, v1.32 with AuthorizeNodeWithSelectors on):
 * requests of node identities only. Secrets, configmaps, PVCs, PVs, resource claims, volume
 * attachments and service account tokens are allowed when the object is related to the node in
 * the graph; leases and CSINodes only under the node's own name; nodes and pods by verb (their
 * writes are narrowed by NodeRestriction); everything else by the static system:node rules.
 * Upstream never denies: a refusal is NoOpinion with a reason, so RBAC may still allow.
 */
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { goQuote } from '../../apierrors/index.ts';
import type { FieldRequirement } from '../../api/selectors/field-selector.ts';
import type { Attributes, AuthorizationResult, Authorizer } from '../authorization/types.ts';
import { ruleAllows } from '../rbac/rules.ts';
import { componentRoles } from '../rbac/bootstrap-policy/component-roles.ts';
import type { NodeGraph, VertexType } from './graph.ts';
import { nodeIdentity } from './identity.ts';

/** Request attributes with the parsed ?fieldSelector= (authorizer.Attributes.GetFieldSelector). */
export type AttributesWithFieldSelector = Attributes & { fieldSelector?: readonly FieldRequirement[] };

export interface NodeGraphSource {
  readonly graph: NodeGraph;
  readonly ready: Promise<void>;
}

const allow: AuthorizationResult = { decision: 'Allow', reason: '' };
const refuse = (reason: string): AuthorizationResult => ({ decision: 'NoOpinion', reason });
const nodeLeaseNamespace = 'kube-node-lease';

/** bootstrappolicy.NodeRules(): the rules of the system:node ClusterRole. */
export function nodeRules(): PolicyRule[] {
  return componentRoles().find((r) => r.metadata?.name === 'system:node')?.rules ?? [];
}

function fieldEquals(attrs: Attributes, field: string, value: string): boolean {
  const reqs = (attrs as AttributesWithFieldSelector).fieldSelector ?? [];
  return reqs.some((r) => r.field === field && r.op === '=' && r.value === value);
}

export function nodeAuthorizer(source: NodeGraphSource, rules: readonly PolicyRule[] = nodeRules()): Authorizer {
  const noRelationship = (nodeName: string) => refuse(`no relationship found between node '${nodeName}' and this object`);

  const related = (nodeName: string, type: VertexType, attrs: Attributes): AuthorizationResult => {
    if (!attrs.name) return refuse('No Object name found');
    return source.graph.hasPathFrom(nodeName, type, attrs.namespace, attrs.name).ok ? allow : noRelationship(nodeName);
  };

  const readNamespaced = (nodeName: string, type: VertexType, attrs: Attributes): AuthorizationResult => {
    if (!['get', 'list', 'watch'].includes(attrs.verb)) return refuse('can only read resources of this type');
    if (attrs.subresource) return refuse('cannot read subresource');
    if (!attrs.namespace) return refuse('can only read namespaced object of this type');
    return related(nodeName, type, attrs);
  };

  const getOnly = (nodeName: string, type: VertexType, attrs: Attributes): AuthorizationResult => {
    if (attrs.verb !== 'get') return refuse('can only get individual resources of this type');
    if (attrs.subresource) return refuse('cannot get subresource');
    return related(nodeName, type, attrs);
  };

  const statusUpdate = (nodeName: string, type: VertexType, attrs: Attributes): AuthorizationResult => {
    if (attrs.verb !== 'update' && attrs.verb !== 'patch') return refuse('can only get/update/patch this type');
    if (attrs.subresource !== 'status') return refuse('can only update status subresource');
    return related(nodeName, type, attrs);
  };

  const createToken = (nodeName: string, attrs: Attributes): AuthorizationResult => {
    if (attrs.verb !== 'create' || !attrs.name) return refuse('can only create tokens for individual service accounts');
    if (attrs.subresource !== 'token') return refuse('can only create token subresource of serviceaccount');
    return source.graph.hasPathFrom(nodeName, 'serviceAccount', attrs.namespace, attrs.name).ok ? allow : noRelationship(nodeName);
  };

  /** Leases and CSINodes: the node's own object only; create is checked by NodeRestriction, which sees the name. */
  const ownObject = (nodeName: string, attrs: Attributes, what: 'lease' | 'CSINode'): AuthorizationResult => {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(attrs.verb)) {
      return refuse(what === 'lease' ? 'can only get, create, update, patch, or delete a node lease' : 'can only get, create, update, patch, or delete a CSINode');
    }
    if (what === 'lease' && attrs.namespace !== nodeLeaseNamespace) {
      return refuse(`can only access leases in the ${goQuote(nodeLeaseNamespace)} system namespace`);
    }
    if (what === 'CSINode' && attrs.subresource) return refuse('cannot authorize CSINode subresources');
    if (attrs.verb !== 'create' && attrs.name !== nodeName) {
      return refuse(what === 'lease' ? 'can only access node lease with the same name as the requesting node' : 'can only access CSINode with the same name as the requesting node');
    }
    return allow;
  };

  const nodes = (nodeName: string, attrs: Attributes): AuthorizationResult => {
    if (attrs.subresource === '') {
      // Writes are narrowed to the node's own object by NodeRestriction.
      if (['create', 'update', 'patch'].includes(attrs.verb)) return allow;
      if (['get', 'list', 'watch'].includes(attrs.verb)) {
        // By name rather than the graph, so a kubelet can look for its Node before creating it.
        if (attrs.name === nodeName) return allow;
        if (attrs.name === '') return refuse(`node '${nodeName}' cannot read all nodes, only its own Node object`);
        return refuse(`node '${nodeName}' cannot read '${attrs.name}', only its own Node object`);
      }
    } else if (attrs.subresource === 'status' && (attrs.verb === 'update' || attrs.verb === 'patch')) {
      return allow;
    }
    return refuse('');
  };

  const pods = (nodeName: string, attrs: Attributes): AuthorizationResult => {
    switch (attrs.subresource) {
      case '':
        if (attrs.verb === 'get') return getOnly(nodeName, 'pod', attrs);
        if (attrs.verb === 'list' || attrs.verb === 'watch') {
          if (fieldEquals(attrs, 'spec.nodeName', nodeName)) return allow;
          if (attrs.name) return related(nodeName, 'pod', attrs);
          return refuse('can only list/watch pods with spec.nodeName field selector');
        }
        // Mirror pods; NodeRestriction keeps them to pods bound to the node.
        if (attrs.verb === 'create' || attrs.verb === 'delete') return allow;
        break;
      case 'status':
        if (attrs.verb === 'update' || attrs.verb === 'patch') return allow;
        break;
      case 'eviction':
        if (attrs.verb === 'create') return allow;
        break;
    }
    return refuse('');
  };

  return {
    name: 'Node',
    async authorize(attrs) {
      const nodeName = nodeIdentity(attrs.user);
      if (nodeName === undefined) return refuse('');
      if (nodeName === '') return refuse(`unknown node for user ${goQuote(attrs.user.username)}`);
      if (attrs.isResourceRequest) {
        const g = attrs.apiGroup;
        switch (`${g}/${attrs.resource}`) {
          case '/secrets': await source.ready; return readNamespaced(nodeName, 'secret', attrs);
          case '/configmaps': await source.ready; return readNamespaced(nodeName, 'configmap', attrs);
          case '/persistentvolumeclaims':
            await source.ready;
            return attrs.subresource === 'status' ? statusUpdate(nodeName, 'pvc', attrs) : getOnly(nodeName, 'pvc', attrs);
          case '/persistentvolumes': await source.ready; return getOnly(nodeName, 'pv', attrs);
          case 'resource.k8s.io/resourceclaims': await source.ready; return getOnly(nodeName, 'resourceclaim', attrs);
          case 'storage.k8s.io/volumeattachments': await source.ready; return getOnly(nodeName, 'volumeattachment', attrs);
          case '/serviceaccounts': await source.ready; return createToken(nodeName, attrs);
          case 'coordination.k8s.io/leases': return ownObject(nodeName, attrs, 'lease');
          case 'storage.k8s.io/csinodes': return ownObject(nodeName, attrs, 'CSINode');
          case '/nodes': return nodes(nodeName, attrs);
          case '/pods': await source.ready; return pods(nodeName, attrs);
        }
      }
      // Not subdivided: the static rules every node holds.
      return rules.some((r) => ruleAllows(attrs, r)) ? allow : refuse('');
    },
    rulesFor(user) {
      // Nodes' permissions depend on the graph and cannot be listed.
      if (nodeIdentity(user) !== undefined) {
        return { resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: 'node authorizer does not support user rule resolution' };
      }
      return { resourceRules: [], nonResourceRules: [], incomplete: false, evaluationError: '' };
    },
  };
}
