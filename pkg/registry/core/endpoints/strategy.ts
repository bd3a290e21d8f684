/**
 * Endpoints strategy, after pkg/registry/core/endpoint/strategy.go and ValidateEndpoints.
 * PUT creates missing Endpoints (the endpoints controller relies on it). Subsets are stored as
 * given; upstream also repacks them (RepackSubsets), which is left out here.
 */
import type { EndpointPort, EndpointSubset, Endpoints } from 'kubernetes-types/core/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  invalid, isDNS1123Label, isValidIP, isValidPortNum, nameIsDNSSubdomain, notSupported, validateObjectMeta,
  validateObjectMetaUpdate, validateQualifiedName,
} from '../../validation/index.ts';

const protocols = ['SCTP', 'TCP', 'UDP'];

/** ValidateNonSpecialIP: endpoints may not point at unspecified, loopback or link-local addresses. */
export function validateNonSpecialIP(ip: string, path: string): FieldError[] {
  if (isValidIP(ip).length > 0) return [invalid(path, ip, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  if (ip === '0.0.0.0' || ip === '::') errs.push(invalid(path, ip, `may not be unspecified (${ip})`));
  if (ip.startsWith('127.') || ip === '::1') errs.push(invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (ip.startsWith('169.254.') || /^fe[89ab][0-9a-f]:/i.test(ip)) {
    errs.push(invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  if (ip.startsWith('224.0.0.') || /^ff02:/i.test(ip)) {
    errs.push(invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errs;
}

/** validateEndpointPort; also used by EndpointSlices for the shared checks. */
export function validateEndpointPort(port: EndpointPort, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !port.name) errs.push(field.required(`${path}.name`));
  else if (port.name) errs.push(...isDNS1123Label(port.name).map((m) => invalid(`${path}.name`, port.name, m)));
  errs.push(...isValidPortNum(port.port).map((m) => invalid(`${path}.port`, port.port, m)));
  if (!port.protocol) errs.push(field.required(`${path}.protocol`));
  else if (!protocols.includes(port.protocol)) errs.push(notSupported(`${path}.protocol`, port.protocol, protocols));
  if (port.appProtocol) errs.push(...validateQualifiedName(port.appProtocol, `${path}.appProtocol`));
  return errs;
}

function validateSubsets(subsets: EndpointSubset[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  (subsets ?? []).forEach((ss, i) => {
    const p = `subsets[${i}]`;
    if ((ss.addresses ?? []).length === 0 && (ss.notReadyAddresses ?? []).length === 0) {
      errs.push(field.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const key of ['addresses', 'notReadyAddresses'] as const) {
      (ss[key] ?? []).forEach((a, j) => {
        const ap = `${p}.${key}[${j}]`;
        errs.push(...isValidIP(a.ip).map((m) => invalid(`${ap}.ip`, a.ip, m)));
        if (a.hostname) errs.push(...isDNS1123Label(a.hostname).map((m) => invalid(`${ap}.hostname`, a.hostname, m)));
        if (a.nodeName) errs.push(...nameIsDNSSubdomain(a.nodeName, false).map((m) => invalid(`${ap}.nodeName`, a.nodeName, m)));
        if (isValidIP(a.ip).length === 0) errs.push(...validateNonSpecialIP(a.ip, `${ap}.ip`));
      });
    }
    (ss.ports ?? []).forEach((port, j) => errs.push(...validateEndpointPort(port, (ss.ports ?? []).length > 1, `${p}.ports[${j}]`)));
  });
  return errs;
}

function validateEndpoints(obj: Endpoints): FieldError[] {
  return [...validateObjectMeta(obj.metadata ?? {}, nameIsDNSSubdomain), ...validateSubsets(obj.subsets)];
}

export const endpointsStrategy: Strategy = {
  allowCreateOnUpdate: true,
  applyDefaults(obj) {
    for (const ss of (obj as unknown as Endpoints).subsets ?? []) {
      for (const port of ss.ports ?? []) port.protocol ||= 'TCP';
    }
  },
  validate: (obj) => validateEndpoints(obj as unknown as Endpoints),
  validateUpdate: (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateEndpoints(obj as unknown as Endpoints)],
};
