/**
 * EndpointSlice strategy, after pkg/registry/discovery/endpointslice/strategy.go and
 * pkg/apis/discovery/validation (1.32): ports default to TCP with an empty name, the address
 * type is required and immutable, the generation tracks changes.
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  invalid, isDNS1123Subdomain, isValidIP, nameIsDNSSubdomain, notSupported, validateImmutable, validateLabels,
  validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';
import { validateEndpointPort, validateNonSpecialIP } from '../../core/endpoints/strategy.ts';

const addressTypes = ['FQDN', 'IPv4', 'IPv6'];

function validateAddress(address: string, type: string, path: string): FieldError[] {
  if (type === 'FQDN') return isDNS1123Subdomain(address).map((m) => invalid(path, address, m));
  const ipErrs = isValidIP(address).map((m) => invalid(path, address, m));
  if (ipErrs.length > 0) return ipErrs;
  if (type === 'IPv4' && address.includes(':')) return [invalid(path, address, 'must be an IPv4 address')];
  if (type === 'IPv6' && !address.includes(':')) return [invalid(path, address, 'must be an IPv6 address')];
  return validateNonSpecialIP(address, path);
}

function validateSlice(eps: EndpointSlice): FieldError[] {
  const errs = validateObjectMeta(eps.metadata ?? {}, nameIsDNSSubdomain);
  const type = eps.addressType ?? '';
  if (!type) errs.push(field.required('addressType'));
  else if (!addressTypes.includes(type)) errs.push(notSupported('addressType', type, addressTypes));
  (eps.endpoints ?? []).forEach((ep, i) => {
    const p = `endpoints[${i}]`;
    const addrs = ep.addresses ?? [];
    if (addrs.length === 0) errs.push(field.required(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push({ type: 'FieldValueTooMany', field: `${p}.addresses`, detail: `Too many: ${addrs.length}: must have at most 100 items` });
    addrs.forEach((a, j) => { if (addressTypes.includes(type)) errs.push(...validateAddress(a, type, `${p}.addresses[${j}]`)); });
    errs.push(...validateLabels(ep.deprecatedTopology, `${p}.deprecatedTopology`));
    if (ep.hostname) errs.push(...isDNS1123Subdomain(ep.hostname).map((m) => invalid(`${p}.hostname`, ep.hostname, m)));
  });
  const names = new Set<string>();
  (eps.ports ?? []).forEach((port, i) => {
    const p = `ports[${i}]`;
    const name = port.name ?? '';
    if (names.has(name)) errs.push({ type: 'FieldValueDuplicate', field: `${p}.name`, detail: `Duplicate value: ${JSON.stringify(name)}` });
    names.add(name);
    // An EndpointSlice port may omit its number (then every port of the endpoints is meant).
    errs.push(...validateEndpointPort({ ...port, port: port.port ?? 1 }, false, p));
  });
  return errs;
}

export const endpointSliceStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults(obj) {
    for (const port of (obj as unknown as EndpointSlice).ports ?? []) {
      port.name ??= '';
      port.protocol ||= 'TCP';
    }
  },
  validate: (obj) => validateSlice(obj as unknown as EndpointSlice),
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateSlice(obj as unknown as EndpointSlice),
    ...validateImmutable(obj.addressType, old.addressType, 'addressType'),
  ],
};
