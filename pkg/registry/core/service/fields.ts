/**
 * Service field bookkeeping shared by the strategy and the allocator, after
 * pkg/registry/core/service/strategy.go (patchAllocatedValues, NormalizeClusterIPs,
 * dropTypeDependentFields) and storage/alloc.go (initIPFamilyFields) for a single-stack
 * IPv4 cluster.
 */
import type { Service, ServiceSpec } from 'kubernetes-types/core/v1.js';
import { semanticEqual } from '../../validation/index.ts';

export function needsClusterIP(svc: Service | undefined): boolean {
  return !!svc && svc.spec?.type !== 'ExternalName';
}

export function needsNodePort(svc: Service | undefined): boolean {
  return svc?.spec?.type === 'NodePort' || svc?.spec?.type === 'LoadBalancer';
}

/** NodePort, LoadBalancer, or ClusterIP with external IPs (apiservice.ExternallyAccessible). */
export function externallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
}

/** A LoadBalancer with externalTrafficPolicy Local needs a health-check node port. */
export function needsHealthCheck(spec: ServiceSpec | undefined): boolean {
  return spec?.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

export function isHeadless(spec: ServiceSpec | undefined): boolean {
  return (spec?.clusterIPs?.[0] ?? spec?.clusterIP) === 'None';
}

/** On update, values the server allocated earlier are kept when the new object omits them. */
export function patchAllocatedValues(next: Service, prev: Service): void {
  const spec = next.spec ??= {};
  if (needsClusterIP(prev) && needsClusterIP(next)) {
    if (!spec.clusterIP && prev.spec?.clusterIP) spec.clusterIP = prev.spec.clusterIP;
    if ((spec.clusterIPs ?? []).length === 0 && (prev.spec?.clusterIPs ?? []).length > 0) spec.clusterIPs = [...(prev.spec?.clusterIPs ?? [])];
  }
  if (needsNodePort(prev) && needsNodePort(next)) {
    const used = (s: Service): Set<number> => new Set((s.spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0));
    const prevUsed = used(prev);
    const taken = new Set([...used(next)].filter((n) => prevUsed.has(n)));
    const byName = new Map((prev.spec?.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const p of spec.ports ?? []) {
      const was = byName.get(p.name ?? '') ?? 0;
      if (!p.nodePort && was && !taken.has(was)) p.nodePort = was;
    }
  }
  if (needsHealthCheck(prev.spec) && needsHealthCheck(spec) && !spec.healthCheckNodePort) {
    spec.healthCheckNodePort = prev.spec?.healthCheckNodePort;
  }
}

/** Keeps the legacy clusterIP and the clusterIPs list in step. */
export function normalizeClusterIPs(next: Service, prev: Service | undefined): void {
  const spec = next.spec ??= {};
  const ips = spec.clusterIPs ?? [];
  if (!prev) {
    if (ips.length === 0 && spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
    else if (ips.length > 0 && !spec.clusterIP) spec.clusterIP = ips[0];
    return;
  }
  const ipChanged = (spec.clusterIP ?? '') !== (prev.spec?.clusterIP ?? '');
  const ipsChanged = !semanticEqual(ips, prev.spec?.clusterIPs ?? []);
  if (ipChanged && !ipsChanged) spec.clusterIPs = spec.clusterIP ? [spec.clusterIP] : [];
  else if (ipsChanged && !ipChanged) spec.clusterIP = ips[0] ?? '';
  if ((spec.clusterIPs ?? []).length === 0) delete spec.clusterIPs;
  if (!spec.clusterIP) delete spec.clusterIP;
}

/** On update, fields the server filled for the old type are wiped when the new type has no use for them. */
export function dropTypeDependentFields(next: Service, prev: Service): void {
  const spec = next.spec ??= {};
  const ps = prev.spec ?? {};
  if (needsClusterIP(prev) && !needsClusterIP(next)) {
    if (semanticEqual(spec.clusterIPs, ps.clusterIPs) && (spec.clusterIP ?? '') === (ps.clusterIP ?? '')) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (semanticEqual(spec.ipFamilies, ps.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === ps.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(prev) && !needsNodePort(next)) {
    const nodePorts = (s: ServiceSpec): number[] => (s.ports ?? []).map((p) => p.nodePort ?? 0);
    if (semanticEqual(nodePorts(spec), nodePorts(ps))) for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (needsHealthCheck(ps) && !needsHealthCheck(spec) && spec.healthCheckNodePort === ps.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (spec.type !== 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === ps.allocateLoadBalancerNodePorts) {
    delete spec.allocateLoadBalancerNodePorts;
  }
  if (!externallyAccessible(spec) && spec.externalTrafficPolicy === ps.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  if (spec.type === 'ExternalName' && spec.internalTrafficPolicy === ps.internalTrafficPolicy) delete spec.internalTrafficPolicy;
}

/**
 * initIPFamilyFields for a single-stack IPv4 cluster: policy SingleStack (RequireDualStack for
 * headless services without a selector), families inferred from clusterIPs or IPv4.
 */
export function initIPFamilies(next: Service, prev: Service | undefined): void {
  const spec = next.spec ??= {};
  if (spec.type === 'ExternalName') return;
  const headlessSelectorless = spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
  if (!spec.ipFamilyPolicy) {
    spec.ipFamilyPolicy = prev?.spec?.ipFamilyPolicy ?? (headlessSelectorless ? 'RequireDualStack' : 'SingleStack');
  }
  const families = [...(spec.ipFamilies ?? [])];
  (spec.clusterIPs ?? []).forEach((ip, i) => {
    if (ip !== 'None' && i >= families.length) families.push(ip.includes(':') ? 'IPv6' : 'IPv4');
  });
  if (families.length === 0) families.push('IPv4');
  if (headlessSelectorless && families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') {
    families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  }
  spec.ipFamilies = families;
}
