/**
 * Service, Endpoints and EndpointSlice printers (printService, printEndpoints,
 * printEndpointSlice and their helpers in kubernetes/kubernetes
 * pkg/printers/internalversion/printers.go).
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Endpoints, LoadBalancerStatus, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/index.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import * as d from './descriptions.ts';
import { translateTimestampSince } from './duration.ts';
import { formatLabels, joinHostPort, listWithMore } from './format.ts';
import type { Printer } from './types.ts';

/**
 * Sorted, de-duplicated ingress IPs (or hostnames) of a load balancer. The server prints with
 * wide=true, so the 16-character clipping of kubectl's client-side printer never applies.
 */
function loadBalancerIngress(lb: LoadBalancerStatus | undefined): string {
  const set = new Set<string>();
  for (const ing of lb?.ingress ?? []) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  return [...set].sort().join(',');
}

function externalIP(svc: Service, type: string): string {
  const external = svc.spec?.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc.status?.loadBalancer);
      if (external.length > 0) return [...(lb ? lb.split(',') : []), ...external].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** "80/TCP,443:30443/TCP" (makePortString); protocol defaults to TCP as the API server does. */
export function servicePorts(ports: readonly ServicePort[] | undefined): string {
  return (ports ?? [])
    .map((p) => {
      const protocol = p.protocol ?? 'TCP';
      return p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
    })
    .join(',');
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', d.serviceSpecType),
    column('Cluster-IP', 'string', d.serviceSpecClusterIP),
    column('External-IP', 'string', d.serviceSpecExternalIPs),
    column('Port(s)', 'string', d.serviceSpecPorts),
    ageColumn,
    wideColumn('Selector', 'string', d.serviceSpecSelector),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const svc = obj as unknown as Service;
    const type = svc.spec?.type ?? 'ClusterIP';
    // The v1→internal conversion fills clusterIPs from clusterIP.
    const clusterIP = svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>';
    return [
      svc.metadata?.name ?? '',
      type,
      clusterIP,
      externalIP(svc, type),
      servicePorts(svc.spec?.ports) || '<none>',
      translateTimestampSince(svc.metadata?.creationTimestamp, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};

/** Up to three "ip:port" (or bare IPs for port-less subsets), then " + N more..." (formatEndpoints). */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) { more = true; break; }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) { more = true; break; }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn, column('Endpoints', 'string', d.endpointsSubsets), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ep = obj as unknown as Endpoints;
    return [ep.metadata?.name ?? '', formatEndpoints(ep), translateTimestampSince(ep.metadata?.creationTimestamp, now)];
  },
};

/** Port numbers (or names, or "*" for all ports), first three (formatDiscoveryPorts). */
function slicePorts(slice: EndpointSlice): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  const ports = slice.ports ?? [];
  for (const p of ports) {
    if (list.length < max) list.push(p.port !== undefined && p.port !== null ? String(p.port) : p.name ?? '*');
    else more = true;
  }
  return listWithMore(list, more, ports.length, max);
}

/** Addresses of all endpoints, first three (formatDiscoveryEndpoints). */
function sliceEndpoints(slice: EndpointSlice): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const e of slice.endpoints ?? []) {
    for (const a of e.addresses ?? []) {
      if (list.length < max) list.push(a);
      else more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, max);
}

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    column('AddressType', 'string', d.endpointSliceAddressType),
    column('Ports', 'string', d.endpointSlicePorts),
    column('Endpoints', 'string', d.endpointSliceEndpoints),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const s = obj as unknown as EndpointSlice;
    return [s.metadata?.name ?? '', s.addressType ?? '', slicePorts(s), sliceEndpoints(s), translateTimestampSince(s.metadata?.creationTimestamp, now)];
  },
};
