/**
 * Service validation, after ValidateService / ValidateServiceUpdate in
 * pkg/apis/core/validation/validation.go (1.32), with the messages users meet most.
 */
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import {
  duplicate, goQuote, goStringSlice, invalid, invalidRendered, isDNS1123Label, isDNS1123Subdomain, isValidIP,
  isValidPortName, isValidPortNum, nameIsDNS1035Label, notSupported, validateLabels, validateObjectMeta,
  validateObjectMetaUpdate, validateQualifiedName,
} from '../../validation/index.ts';
import { externallyAccessible, isHeadless } from './fields.ts';

const protocols = ['SCTP', 'TCP', 'UDP'];
const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const families = ['IPv4', 'IPv6'];
const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];

function validatePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) errs.push(field.required(`${path}.name`));
  else if (sp.name) {
    errs.push(...isDNS1123Label(sp.name).map((m) => invalid(`${path}.name`, sp.name, m)));
    if (names.has(sp.name)) errs.push(duplicate(`${path}.name`, sp.name));
    else names.add(sp.name);
  }
  errs.push(...isValidPortNum(sp.port).map((m) => invalid(`${path}.port`, sp.port, m)));
  if (!sp.protocol) errs.push(field.required(`${path}.protocol`));
  else if (!protocols.includes(sp.protocol)) errs.push(notSupported(`${path}.protocol`, sp.protocol, protocols));
  const tp = sp.targetPort;
  if (typeof tp === 'number') errs.push(...isValidPortNum(tp).map((m) => invalid(`${path}.targetPort`, tp, m)));
  else if (typeof tp === 'string') errs.push(...isValidPortName(tp).map((m) => invalid(`${path}.targetPort`, tp, m)));
  if (sp.appProtocol) errs.push(...validateQualifiedName(sp.appProtocol, `${path}.appProtocol`));
  return errs;
}

function goServicePort(protocol: string, port: number): string {
  return `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, `
    + 'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}';
}

function validatePorts(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validatePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  const pairs = new Set<string>();
  ports.forEach((p, i) => {
    if (p.nodePort) {
      const key = `${p.protocol}/${p.nodePort}`;
      if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
      nodePorts.add(key);
    }
    const pair = `${p.protocol}/${p.port}`;
    if (pairs.has(pair)) {
      errs.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}]`, detail: `Duplicate value: ${goServicePort(p.protocol ?? '', p.port)}` });
    }
    pairs.add(pair);
  });
  return errs;
}

/** ValidateServiceClusterIPsRelatedFields, the parts that apply to a single-stack cluster. */
function validateClusterIPs(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.type === 'ExternalName') return errs;
  const ips = spec.clusterIPs ?? [];
  if (spec.clusterIP && ips.length > 0 && ips[0] !== spec.clusterIP) {
    errs.push(invalidRendered('spec.clusterIPs', goStringSlice(ips), 'first value must match `clusterIP`'));
  }
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') return;
    errs.push(...isValidIP(ip).map((m) => invalid(`spec.clusterIPs[${i}]`, ip, m)));
  });
  if (spec.ipFamilyPolicy && !policies.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, policies));
  }
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (!families.includes(f)) errs.push(notSupported(`spec.ipFamilies[${i}]`, f, families));
    if (seen.has(f)) errs.push(duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  return errs;
}

function validateTypeRules(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  if ((spec.ports ?? []).length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName') errs.push(field.required('spec.ports'));
  if ((spec.type === 'LoadBalancer' || spec.type === 'NodePort') && isHeadless(spec)) {
    errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${spec.type} services`));
  }
  if (spec.type === 'ExternalName') {
    if ((spec.clusterIPs ?? []).length > 0) errs.push(field.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if ((spec.ipFamilies ?? []).length > 0) errs.push(field.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy) errs.push(field.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (cname) errs.push(...isDNS1123Subdomain(cname).map((m) => invalid('spec.externalName', cname, m)));
    else errs.push(field.required('spec.externalName'));
  }
  return errs;
}

function validateTrafficPolicies(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) {
      errs.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    }
  } else if (!spec.externalTrafficPolicy) {
    errs.push(field.required('spec.externalTrafficPolicy'));
  } else if (!['Cluster', 'Local'].includes(spec.externalTrafficPolicy)) {
    errs.push(notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
  }
  const needsITP = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP';
  if (!spec.internalTrafficPolicy && needsITP) errs.push(field.required('spec.internalTrafficPolicy'));
  if (spec.internalTrafficPolicy && !['Cluster', 'Local'].includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  return errs;
}

/** ValidateService. */
export function validateService(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const errs = [...validateObjectMeta(svc.metadata ?? {}, nameIsDNS1035Label), ...validateTypeRules(spec), ...validatePorts(spec)];
  if (spec.selector) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  if (!spec.sessionAffinity) errs.push(field.required('spec.sessionAffinity'));
  else if (!['ClientIP', 'None'].includes(spec.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig) {
    errs.push(field.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errs.push(...validateClusterIPs(spec));
  (spec.externalIPs ?? []).forEach((ip, i) => errs.push(...isValidIP(ip).map((m) => invalid(`spec.externalIPs[${i}]`, ip, m))));
  if (!spec.type) errs.push(field.required('spec.type'));
  else if (!types.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, types));
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && spec.type !== 'LoadBalancer') {
    errs.push(field.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  return [...errs, ...validateTrafficPolicies(spec)];
}

/** ValidateServiceUpdate: the primary cluster IP and IP family are fixed once set. */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const errs = validateObjectMetaUpdate(svc.metadata ?? {}, old.metadata ?? {});
  const spec = svc.spec ?? {};
  const prev = old.spec ?? {};
  if (spec.type !== 'ExternalName' && prev.type !== 'ExternalName') {
    const ip = spec.clusterIPs?.[0];
    if (ip !== undefined && prev.clusterIPs?.[0] !== undefined && ip !== prev.clusterIPs[0]) {
      errs.push(invalid('spec.clusterIPs[0]', ip, 'may not change once set'));
    }
    const fam = spec.ipFamilies?.[0];
    if (fam !== undefined && prev.ipFamilies?.[0] !== undefined && fam !== prev.ipFamilies[0]) {
      errs.push(invalid('spec.ipFamilies[0]', fam, 'may not change once set'));
    }
  }
  return [...errs, ...validateService(svc)];
}
