/**
 * NodeRestriction (plugin/pkg/admission/noderestriction, v1.32): what the Node authorizer lets a
 * node do by verb, narrowed to the node's own objects. A node may create and delete only mirror
 * pods bound to itself (owned by its Node, naming no service account, secret, configmap, trust
 * bundle or claim), update the status of and evict only pods bound to it, write only its own
 * Node (never its taints, configSource, or labels outside the kubelet's set), its own Lease and
 * CSINode, and request tokens only bound to pods running on it. Users that are not nodes pass.
 * A mutating plugin upstream; the token REST object runs only validation, so that check runs there.
 */
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import { goQuote } from '../../apierrors/index.ts';
import { isMirrorPod, nodeIdentity, podConfigMapNames, podSecretNames } from '../../auth/node/index.ts';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';
import { admissionForbidden } from './forbidden.ts';
import { cachedOrLive } from './lookup.ts';

const nodeLeaseNamespace = 'kube-node-lease';
const nodeRestrictionLabelNamespace = 'node-restriction.kubernetes.io';

/** kubeletapis.IsKubeletLabel: the labels a kubelet may set on its own Node. */
const kubeletLabels = new Set([
  'kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type',
  'kubernetes.io/os', 'kubernetes.io/arch', 'beta.kubernetes.io/os', 'beta.kubernetes.io/arch',
]);
const kubeletLabelNamespaces = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

const labelNamespace = (key: string): string => {
  const i = key.indexOf('/');
  return i < 0 ? '' : key.slice(0, i);
};
const inNamespace = (ns: string, domain: string) => ns === domain || ns.endsWith(`.${domain}`);

function isKubeletLabel(key: string): boolean {
  return kubeletLabels.has(key) || kubeletLabelNamespaces.some((d) => inNamespace(labelNamespace(key), d));
}

/** Keys added, removed or changed between the two label sets. */
function modifiedLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(a ?? {})) if (b?.[k] !== v) out.add(k);
  for (const [k, v] of Object.entries(b ?? {})) if (a?.[k] !== v) out.add(k);
  return [...out];
}

/** node-restriction.kubernetes.io labels, and kubernetes.io / k8s.io labels outside the kubelet's set; sorted. */
function forbiddenLabels(keys: string[]): string[] {
  return keys.filter((k) => {
    const ns = labelNamespace(k);
    if (inNamespace(ns, nodeRestrictionLabelNamespace)) return true;
    const kubernetes = inNamespace(ns, 'kubernetes.io') || inNamespace(ns, 'k8s.io');
    return kubernetes && !isKubeletLabel(k);
  }).sort();
}

/** Semantic equality of taint lists: absent and empty are the same, times compare as instants. */
function taintsEqual(a: Taint[] | undefined, b: Taint[] | undefined): boolean {
  const norm = (t: Taint) => [t.key ?? '', t.value ?? '', t.effect ?? '', t.timeAdded ? Date.parse(t.timeAdded) : ''].join('\u0000');
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((t, i) => norm(t) === norm(y[i]!));
}

function labelsEqual(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  return modifiedLabels(a, b).length === 0;
}

interface ClaimStatus { name?: string; resourceClaimName?: string | null }
function claimStatusesEqual(a: ClaimStatus[] | undefined, b: ClaimStatus[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((s, i) => s.name === y[i]!.name && (s.resourceClaimName ?? null) === (y[i]!.resourceClaimName ?? null));
}

const hasValue = (v: unknown) => v !== undefined && v !== null;

export function nodeRestriction(deps: AdmissionDeps): AdmissionPlugin {
  const forbidden = admissionForbidden;
  const pods = () => deps.registry.store({ group: '', plural: 'pods' });

  /** The pod as the lister sees it; upstream passes the lister's NotFound (`pod "x" not found`) on. */
  const existingPod = async (a: AdmissionAttributes, name: string): Promise<Pod> => {
    let pod: KubeObject | undefined;
    try {
      pod = await cachedOrLive(pods(), a.namespace, name);
    } catch (err) {
      throw forbidden(a, apierrors.isStatusError(err) ? err.message : String(err));
    }
    if (!pod) throw apierrors.notFound('', 'pod', name);
    return pod as unknown as Pod;
  };

  const admitPodCreate = async (nodeName: string, a: AdmissionAttributes): Promise<void> => {
    const pod = (a.object ?? {}) as unknown as Pod;
    const q = goQuote(nodeName);
    if (!isMirrorPod(pod)) throw forbidden(a, `pod does not have "kubernetes.io/config.mirror" annotation, node ${q} can only create mirror pods`);
    if ((pod.spec?.nodeName ?? '') !== nodeName) throw forbidden(a, `node ${q} can only create pods with spec.nodeName set to itself`);
    const owners = pod.metadata?.ownerReferences ?? [];
    if (owners.length > 1) throw forbidden(a, `node ${q} can only create pods with a single owner reference set to itself`);
    if (owners.length === 0) throw forbidden(a, `node ${q} can only create pods with an owner reference set to itself`);
    const owner = owners[0]!;
    if (owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== nodeName) {
      throw forbidden(a, `node ${q} can only create pods with an owner reference set to itself`);
    }
    if (owner.controller !== true) throw forbidden(a, `node ${q} can only create pods with a controller owner reference set to itself`);
    if (owner.blockOwnerDeletion === true) throw forbidden(a, `node ${q} must not set blockOwnerDeletion on an owner reference`);
    let node: KubeObject | undefined;
    try {
      node = await cachedOrLive(deps.registry.store({ group: '', plural: 'nodes' }), undefined, nodeName);
    } catch (err) {
      throw forbidden(a, `error looking up node ${nodeName} to verify uid: ${apierrors.isStatusError(err) ? err.message : String(err)}`);
    }
    if (!node) throw apierrors.notFound('', 'node', nodeName);
    if (owner.uid !== (node.metadata.uid ?? '')) {
      throw forbidden(a, `node ${nodeName} UID mismatch: expected ${owner.uid ?? ''} got ${node.metadata.uid ?? ''}`);
    }
    const spec = pod.spec ?? { containers: [] };
    if (spec.serviceAccountName) throw forbidden(a, `node ${q} can not create pods that reference a service account`);
    if (podSecretNames(spec).length > 0) throw forbidden(a, `node ${q} can not create pods that reference secrets`);
    if (podConfigMapNames(spec).length > 0) throw forbidden(a, `node ${q} can not create pods that reference configmaps`);
    for (const v of spec.volumes ?? []) {
      if ((v.projected?.sources ?? []).some((s) => hasValue((s as { clusterTrustBundle?: unknown }).clusterTrustBundle))) {
        throw forbidden(a, `node ${q} can not create pods that reference clustertrustbundles`);
      }
    }
    if ((spec.volumes ?? []).some((v) => v.persistentVolumeClaim)) {
      throw forbidden(a, `node ${q} can not create pods that reference persistentvolumeclaims`);
    }
  };

  const admitPod = async (nodeName: string, a: AdmissionAttributes): Promise<void> => {
    switch (a.operation) {
      case 'CREATE':
        return admitPodCreate(nodeName, a);
      case 'DELETE': {
        const pod = (a.oldObject as unknown as Pod | undefined) ?? await existingPod(a, a.name);
        if ((pod.spec?.nodeName ?? '') !== nodeName) {
          throw forbidden(a, `node ${goQuote(nodeName)} can only delete pods with spec.nodeName set to itself`);
        }
        return;
      }
      default:
        throw forbidden(a, `unexpected operation ${goQuote(a.operation)}, node ${goQuote(nodeName)} can only create and delete mirror pods`);
    }
  };

  const admitPodStatus = (nodeName: string, a: AdmissionAttributes): void => {
    if (a.operation !== 'UPDATE') throw forbidden(a, `unexpected operation ${goQuote(a.operation)}`);
    const oldPod = (a.oldObject ?? {}) as unknown as Pod;
    const newPod = (a.object ?? {}) as unknown as Pod;
    if ((oldPod.spec?.nodeName ?? '') !== nodeName) {
      throw forbidden(a, `node ${goQuote(nodeName)} can only update pod status for pods with spec.nodeName set to itself`);
    }
    if (!labelsEqual(oldPod.metadata?.labels, newPod.metadata?.labels)) {
      throw forbidden(a, `node ${goQuote(nodeName)} cannot update labels through pod status`);
    }
    const claims = (p: Pod) => (p.status as { resourceClaimStatuses?: ClaimStatus[] } | undefined)?.resourceClaimStatuses;
    if (!claimStatusesEqual(claims(oldPod), claims(newPod))) {
      throw forbidden(a, `node ${goQuote(nodeName)} cannot update resource claim statues`);
    }
  };

  const admitPodEviction = async (nodeName: string, a: AdmissionAttributes): Promise<void> => {
    if (a.operation !== 'CREATE') throw forbidden(a, `unexpected operation ${a.operation}`);
    // The name in the path wins over the one in the Eviction body.
    const podName = a.name || (a.object?.metadata?.name ?? '');
    if (!podName) throw forbidden(a, 'could not determine pod from request data');
    const pod = await existingPod(a, podName);
    if ((pod.spec?.nodeName ?? '') !== nodeName) throw forbidden(a, `node ${nodeName} can only evict pods with spec.nodeName set to itself`);
  };

  const admitNode = (nodeName: string, a: AdmissionAttributes): void => {
    const q = goQuote(nodeName);
    if (a.name !== nodeName) throw forbidden(a, `node ${q} is not allowed to modify node ${goQuote(a.name)}`);
    const node = a.object as unknown as Node | undefined;
    if (a.operation === 'CREATE' && node) {
      // The node's view is scoped by what its spec names: a configSource would widen it.
      if (hasValue(node.spec?.configSource)) throw forbidden(a, `node ${q} is not allowed to create pods with a non-nil configSource`);
      const bad = forbiddenLabels(modifiedLabels(node.metadata?.labels, undefined));
      if (bad.length > 0) throw forbidden(a, `node ${q} is not allowed to set the following labels: ${bad.join(', ')}`);
    }
    if (a.operation === 'UPDATE' && node) {
      const old = (a.oldObject ?? {}) as unknown as Node;
      if (hasValue(node.spec?.configSource) && JSON.stringify(node.spec?.configSource) !== JSON.stringify(old.spec?.configSource ?? null)) {
        throw forbidden(a, `node ${q} is not allowed to update configSource to a new non-nil configSource`);
      }
      // Taints and labels steer workloads: a node must not pull privileged ones to itself.
      if (!taintsEqual(node.spec?.taints, old.spec?.taints)) throw forbidden(a, `node ${q} is not allowed to modify taints`);
      const bad = forbiddenLabels(modifiedLabels(node.metadata?.labels, old.metadata?.labels));
      if (bad.length > 0) throw forbidden(a, `is not allowed to modify labels: ${bad.join(', ')}`);
    }
  };

  const admitTokenRequest = async (nodeName: string, a: AdmissionAttributes): Promise<void> => {
    if (a.operation !== 'CREATE' || a.subresource !== 'token') return;
    const ref = (a.object?.spec as { boundObjectRef?: { apiVersion?: string; kind?: string; name?: string; uid?: string } | null } | undefined)?.boundObjectRef;
    if (!ref || ref.apiVersion !== 'v1' || ref.kind !== 'Pod' || !ref.name) throw forbidden(a, 'node requested token not bound to a pod');
    if (!ref.uid) throw forbidden(a, 'node requested token with a pod binding without a uid');
    const pod = await existingPod(a, ref.name);
    if (ref.uid !== pod.metadata?.uid) {
      throw forbidden(a, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
    if ((pod.spec?.nodeName ?? '') !== nodeName) throw forbidden(a, 'node requested token bound to a pod scheduled on a different node');
  };

  /** Leases and CSINodes: only the node's own; on create the name comes from the object. */
  const admitOwnObject = (nodeName: string, a: AdmissionAttributes, what: 'node lease' | 'CSINode'): void => {
    if (what === 'node lease' && a.namespace !== nodeLeaseNamespace) {
      throw forbidden(a, `can only access leases in the ${goQuote(nodeLeaseNamespace)} system namespace`);
    }
    const name = a.operation === 'CREATE' ? (a.object?.metadata?.name ?? '') : a.name;
    if (name !== nodeName) throw forbidden(a, `can only access ${what} with the same name as the requesting node`);
  };

  const identify = (a: AdmissionAttributes): string | undefined => {
    const nodeName = nodeIdentity(a.user);
    if (nodeName === '') throw forbidden(a, `could not determine node from user ${goQuote(a.user.username)}`);
    return nodeName;
  };

  return {
    name: 'NodeRestriction',
    operations: ['CREATE', 'UPDATE', 'DELETE'],
    async admit(a) {
      const nodeName = identify(a);
      if (nodeName === undefined) return;
      switch (`${a.entry.group}/${a.entry.plural}`) {
        case '/pods':
          switch (a.subresource) {
            case '': return admitPod(nodeName, a);
            case 'status': return admitPodStatus(nodeName, a);
            case 'eviction': return admitPodEviction(nodeName, a);
            default: throw forbidden(a, `unexpected pod subresource ${goQuote(a.subresource)}, only 'status' and 'eviction' are allowed`);
          }
        case '/nodes': return admitNode(nodeName, a);
        case '/persistentvolumeclaims':
          // Not served here yet; upstream lets a node update only PVC status (capacity, conditions).
          if (a.subresource !== 'status') throw forbidden(a, 'may only update PVC status');
          return;
        case '/serviceaccounts': return admitTokenRequest(nodeName, a);
        case 'coordination.k8s.io/leases': return admitOwnObject(nodeName, a, 'node lease');
        case 'storage.k8s.io/csinodes': return admitOwnObject(nodeName, a, 'CSINode');
      }
    },
  };
}
