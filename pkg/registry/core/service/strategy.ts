/**
 * Service strategy, after pkg/registry/core/service/strategy.go and SetDefaults_Service (1.32).
 * Cluster IPs and node ports are assigned by ip-allocator.ts, which the store runs after
 * validation; here we only keep previously allocated values and fill the IP family fields.
 */
import type { Service, ServiceSpec, ServiceStatus } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../apierrors/index.ts';
import { field } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import { ensureObject, invalid, isValidIP, validateObjectMetaUpdate } from '../../validation/index.ts';
import {
  dropTypeDependentFields, externallyAccessible, initIPFamilies, normalizeClusterIPs, patchAllocatedValues,
} from './fields.ts';
import { validateService, validateServiceUpdate } from './validation.ts';

function applyServiceDefaults(spec: ServiceSpec): void {
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && !spec.sessionAffinityConfig?.clientIP?.timeoutSeconds) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  spec.type ||= 'ClusterIP';
  for (const p of spec.ports ?? []) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec)) spec.externalTrafficPolicy ||= 'Cluster';
  if (!spec.internalTrafficPolicy && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

/** Load-balancer ingress IPs default to ipMode VIP (LoadBalancerIPMode, on in 1.32). */
function defaultIngressIPMode(obj: { spec?: ServiceSpec; status?: ServiceStatus }): void {
  if (obj.spec?.type !== 'LoadBalancer') return;
  for (const ing of obj.status?.loadBalancer?.ingress ?? []) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
}

function validateStatus(obj: Service, old: Service): FieldError[] {
  const errs = validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {});
  const ingress = obj.status?.loadBalancer?.ingress ?? [];
  if (obj.spec?.type !== 'LoadBalancer' && ingress.length > 0) {
    return [...errs, field.forbidden('status.loadBalancer.ingress', "may only be used when `spec.type` is 'LoadBalancer'")];
  }
  ingress.forEach((ing, i) => {
    const p = `status.loadBalancer.ingress[${i}]`;
    if (ing.ip) errs.push(...isValidIP(ing.ip).map((m) => invalid(`${p}.ip`, ing.ip, m)));
    if (ing.ip && !ing.ipMode) errs.push(field.required(`${p}.ipMode`, 'must be specified when `ip` is set'));
    if (ing.ipMode && !ing.ip) errs.push(field.forbidden(`${p}.ipMode`, 'may not be specified when `ip` is not set'));
  });
  return errs;
}

export const serviceStrategy: Strategy = {
  allowCreateOnUpdate: true,
  returnDeletedObject: true,
  applyDefaults(obj) {
    applyServiceDefaults(ensureObject<ServiceSpec>(obj, 'spec'));
    defaultIngressIPMode(obj as unknown as Service);
  },
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} } satisfies ServiceStatus;
    const svc = obj as unknown as Service;
    normalizeClusterIPs(svc, undefined);
    initIPFamilies(svc, undefined);
  },
  prepareForUpdate(obj, old) {
    const svc = obj as unknown as Service;
    const prev = old as unknown as Service;
    patchAllocatedValues(svc, prev);
    normalizeClusterIPs(svc, prev);
    dropTypeDependentFields(svc, prev);
    initIPFamilies(svc, prev);
  },
  validate: (obj) => validateService(obj as unknown as Service),
  validateUpdate: (obj, old) => validateServiceUpdate(obj as unknown as Service, old as unknown as Service),
  getAttrs(obj) {
    const spec = (obj as unknown as Service).spec;
    return { 'spec.clusterIP': spec?.clusterIP ?? '', 'spec.type': spec?.type ?? '' };
  },
  status: {
    prepareForUpdate(obj) {
      const status = ensureObject<ServiceStatus>(obj, 'status');
      status.loadBalancer ??= {};
      defaultIngressIPMode(obj as unknown as Service);
    },
    validateUpdate: (obj, old) => validateStatus(obj as unknown as Service, old as unknown as Service),
  },
};
