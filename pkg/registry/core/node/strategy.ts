/**
 * Node strategy, after pkg/registry/core/node/strategy.go and ValidateNode/ValidateNodeUpdate:
 * allocatable defaults to capacity, taints are validated (under `metadata.taints`, as upstream
 * names them), podCIDRs and providerID may only go from empty to set.
 */
import type { Node, NodeStatus, Taint } from 'kubernetes-types/core/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  ensureObject, goQuote, invalid, isValidLabelValue, nameIsDNSSubdomain, notSupported, parseQuantityNano, semanticEqual,
  validateLabelName, validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';

const effects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateTaints(taints: Taint[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (taints ?? []).forEach((t, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateLabelName(t.key ?? '', `${p}.key`));
    const msgs = isValidLabelValue(t.value ?? '');
    if (msgs.length > 0) errs.push(invalid(`${p}.value`, t.value ?? '', msgs.join(';')));
    if (!t.effect) errs.push(field.required(`${p}.effect`));
    else if (!effects.includes(t.effect)) errs.push(notSupported(`${p}.effect`, t.effect, effects));
    const id = `${t.effect}\u0000${t.key}`;
    if (seen.has(id)) {
      errs.push({ type: 'FieldValueDuplicate', field: p, detail: 'Duplicate value: taints must be unique by key and effect pair' });
    }
    seen.add(id);
  });
  return errs;
}

function validateResources(status: NodeStatus | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['capacity', 'allocatable'] as const) {
    for (const [name, q] of Object.entries(status?.[key] ?? {})) {
      const v = parseQuantityNano(q);
      if (v !== undefined && v < 0n) errs.push(invalid(`status.${key}.${name}`, String(q), 'must be greater than or equal to 0'));
    }
  }
  return errs;
}

function validateNode(node: Node): FieldError[] {
  const errs = [
    ...validateObjectMeta(node.metadata ?? {}, nameIsDNSSubdomain),
    ...validateTaints(node.spec?.taints, 'metadata.taints'),
    ...validateResources(node.status),
  ];
  (node.spec?.podCIDRs ?? []).forEach((cidr, i) => {
    if (!/^[0-9a-fA-F.:]+\/[0-9]{1,3}$/.test(cidr)) errs.push(invalid(`spec.podCIDRs[${i}]`, cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  return errs;
}

function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = [
    ...validateObjectMetaUpdate(node.metadata ?? {}, old.metadata ?? {}),
    ...validateResources(node.status),
    ...validateTaints(node.spec?.taints, 'metadata.taints'),
  ];
  const oldCIDRs = old.spec?.podCIDRs ?? [];
  if (oldCIDRs.length > 0 && !semanticEqual(oldCIDRs, node.spec?.podCIDRs ?? [])) {
    errs.push(field.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID) {
    errs.push(field.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  const addrs = new Set<string>();
  (node.status?.addresses ?? []).forEach((a, i) => {
    const id = `${a.type}/${a.address}`;
    if (addrs.has(id)) {
      errs.push({ type: 'FieldValueDuplicate', field: `status.addresses[${i}]`, detail: `Duplicate value: core.NodeAddress{Type:${goQuote(a.type)}, Address:${goQuote(a.address)}}` });
    }
    addrs.add(id);
  });
  return errs;
}

/** Go serializes these zero structs; a freshly registered node shows them. */
function canonicalizeStatus(status: NodeStatus): void {
  status.daemonEndpoints ??= {};
  status.daemonEndpoints.kubeletEndpoint ??= { Port: 0 };
  const info = (status.nodeInfo ??= {} as NonNullable<NodeStatus['nodeInfo']>) as unknown as Record<string, string>;
  for (const k of ['architecture', 'bootID', 'containerRuntimeVersion', 'kernelVersion', 'kubeProxyVersion', 'kubeletVersion',
    'machineID', 'operatingSystem', 'osImage', 'systemUUID']) info[k] ??= '';
}

export const nodeStrategy: Strategy = {
  applyDefaults(obj) {
    const status = (obj as unknown as Node).status;
    if (status?.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
    (obj as unknown as Node).spec ??= {};
  },
  validate: (obj) => validateNode(obj as unknown as Node),
  validateUpdate: (obj, old) => validateNodeUpdate(obj as unknown as Node, old as unknown as Node),
  canonicalize(obj) {
    canonicalizeStatus(ensureObject<NodeStatus>(obj, 'status'));
  },
  getAttrs: (obj) => ({ 'spec.unschedulable': String((obj as unknown as Node).spec?.unschedulable ?? false) }),
  status: {
    prepareForUpdate(obj) {
      const status = ensureObject<NodeStatus>(obj, 'status');
      if (status.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
      canonicalizeStatus(status);
    },
    validateUpdate: (obj, old) => validateNodeUpdate(obj as unknown as Node, old as unknown as Node),
  },
};
